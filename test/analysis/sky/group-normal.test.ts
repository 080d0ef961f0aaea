import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accumulateGroup, groupEquations } from '../../../src/analysis/sky/group-normal.js';
import type { FitWindow, FittedStar } from '../../../src/analysis/sky/psf-fit.js';

const width = 30;
const height = 20;
const sigma = 1.4;

/** Pixels that are no model: a ramp, with a clipped pixel at (3, 17) and (4, 18). */
function pixels(): Uint8Array {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = (7 * x + 11 * y + ((x * y) % 13)) % 240;
  data[17 * width + 3] = 255;
  data[18 * width + 4] = 252;
  return data;
}

/** The normal equations summed pixel by pixel from the Jacobian, the straightforward way. */
function bruteForce(win: FitWindow, stars: FittedStar[], sky: number, frozen: Float64Array): { normal: number[][]; rhs: number[]; chi2: number; pixels: number } {
  const params = 3 * stars.length + 1;
  const normal = Array.from({ length: params }, () => new Array<number>(params).fill(0));
  const rhs = new Array<number>(params).fill(0);
  let chi2 = 0;
  let count = 0;
  for (let v = 0; v < win.side; v++) {
    for (let u = 0; u < win.side; u++) {
      const x = win.x0 + u;
      const y = win.y0 + v;
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const value = win.data[y * width + x]!;
      if (value >= win.saturation) continue;
      const jacobian: number[] = [];
      let model = sky + frozen[v * win.side + u]!;
      for (const s of stars) {
        const g = Math.exp(-((x - s.x) ** 2 + (y - s.y) ** 2) / (2 * sigma * sigma));
        model += s.amplitude * g;
        jacobian.push(g, (s.amplitude * g * (x - s.x)) / sigma ** 2, (s.amplitude * g * (y - s.y)) / sigma ** 2);
      }
      jacobian.push(1);
      const r = value - model;
      chi2 += r * r;
      count++;
      for (let p = 0; p < params; p++) {
        rhs[p]! += jacobian[p]! * r;
        for (let q = 0; q < params; q++) normal[p]![q]! += jacobian[p]! * jacobian[q]!;
      }
    }
  }
  return { normal, rhs, chi2, pixels: count };
}

test('the row-by-row normal equations of two and three stars are the pixel-by-pixel ones, over the image edge and clipped pixels', () => {
  const data = pixels();
  for (const stars of [
    [{ amplitude: 80, x: 4.3, y: 16.2 }, { amplitude: 35, x: 6.9, y: 14.4 }],
    [{ amplitude: 80, x: 4.3, y: 16.2 }, { amplitude: 35, x: 6.9, y: 14.4 }, { amplitude: -5, x: 2.1, y: 18.6 }],
  ]) {
    // The window reaches past the image's left and bottom edges, and holds both clipped pixels.
    const win: FitWindow = { data, width, height, x0: -3, y0: 10, side: 13, saturation: 250 };
    const frozen = Float64Array.from({ length: win.side * win.side }, (_, i) => (i % 7) * 0.5);
    const chi2 = accumulateGroup(win, sigma, stars, 12.5, frozen);
    const expected = bruteForce(win, stars, 12.5, frozen);
    const params = 3 * stars.length + 1;
    assert.equal(groupEquations.pixels, expected.pixels);
    assert.ok(Math.abs(chi2 - expected.chi2) < 1e-9 * expected.chi2, `χ² ${chi2} against ${expected.chi2}`);
    for (let p = 0; p < params; p++) {
      const near = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
      assert.ok(near(groupEquations.rhs[p]!, expected.rhs[p]!), `rhs ${p}: ${groupEquations.rhs[p]} against ${expected.rhs[p]}`);
      for (let q = 0; q <= p; q++) {
        const got = groupEquations.normal[p * params + q]!;
        assert.ok(near(got, expected.normal[p]![q]!), `normal (${p}, ${q}): ${got} against ${expected.normal[p]![q]}`);
      }
    }
  }
});
