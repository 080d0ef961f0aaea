import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { encodeSky } from '../../../src/sources/demo/encode-sky.js';
import { SkyRenderer } from '../../../src/sources/demo/renderer.js';
import { skyPlan } from '../../../src/sources/demo/sky.js';

/** The demo catalogue's indexes (seed 1, first 24) by pixel count. */
const bySize = Array.from({ length: 24 }, (_, i) => i).sort((a, b) => {
  const size = (i: number): number => skyPlan(1, i).width * skyPlan(1, i).height;
  return size(a) - size(b);
});

test('the renderer draws the same bytes as drawing on this thread, for hd and sd', async (t) => {
  const renderer = new SkyRenderer();
  t.after(() => renderer.close());
  const index = bySize[0]!;
  for (const variant of ['hd', 'sd'] as const) {
    const [there, here] = await Promise.all([renderer.encode(1, index, variant), encodeSky(1, index, variant)]);
    assert.ok(Buffer.isBuffer(there.body));
    assert.deepEqual(there, here);
  }
});

test("drawing the largest sky leaves this thread's event loop idle (it runs on the worker)", async (t) => {
  const renderer = new SkyRenderer();
  t.after(() => renderer.close());
  await renderer.encode(1, bySize[0]!, 'hd'); // the worker is up
  const before = performance.eventLoopUtilization();
  await renderer.encode(1, bySize.at(-1)!, 'hd');
  // Drawn here, the same sky keeps this loop about 80 % busy.
  const { utilization } = performance.eventLoopUtilization(before);
  assert.ok(utilization < 0.3, `event loop utilisation ${utilization.toFixed(2)} while the worker draws`);
});

test('sixteen skies asked for at once are all drawn, with no MaxListenersExceededWarning', async (t) => {
  const renderer = new SkyRenderer();
  t.after(() => renderer.close());
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => void warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  t.after(() => process.off('warning', onWarning));
  const small = bySize.slice(0, 8);
  const images = await Promise.all(small.flatMap((index) => [renderer.encode(1, index, 'hd'), renderer.encode(1, index, 'sd')]));
  await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
  assert.equal(images.length, 16);
  assert.deepEqual(images[0], await encodeSky(1, small[0]!, 'hd'));
  assert.deepEqual(warnings, []);
});
