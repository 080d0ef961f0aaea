import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gaussianRun } from '../../../src/analysis/sky/gaussian-run.js';

test('gaussianRun: each sample within 2e-13 of exp(k (x − centre)²), relatively, over the windows the detector uses', () => {
  // Window σ from 0.4 to 8 px, rows out to 3.5σ + 1 either side, centres anywhere within a pixel.
  for (const sigma of [0.4, 0.85, 1.3, 2.7, 8]) {
    const k = -1 / (2 * sigma * sigma);
    const reach = Math.ceil(3.5 * sigma) + 1;
    for (const centre of [40, 40.37, 39.5, 40.999]) {
      const start = Math.round(centre) - reach;
      const out = new Float64Array(2 * reach + 1);
      gaussianRun(out, 0, start, out.length, k, centre);
      out.forEach((g, i) => {
        const exact = Math.exp(k * (start + i - centre) ** 2);
        assert.ok(Math.abs(g - exact) <= 2e-13 * exact, `σ ${sigma}, centre ${centre}, x ${start + i}: ${g} against ${exact}`);
      });
    }
  }
});

test('gaussianRun: writes count samples from offset and nothing else', () => {
  const out = new Float64Array(8).fill(-1);
  gaussianRun(out, 3, 10, 3, -0.5, 11);
  assert.deepEqual(Array.from(out.subarray(0, 3)), [-1, -1, -1]);
  assert.deepEqual(Array.from(out.subarray(6)), [-1, -1]);
  assert.ok(Math.abs(out[3]! - Math.exp(-0.5)) < 1e-16 && out[4] === 1 && Math.abs(out[5]! - Math.exp(-0.5)) < 1e-16, String(out));
  gaussianRun(out, 0, 0, 0, -0.5, 0);
  assert.equal(out[0], -1);
});
