import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { encodeSky } from '../../../src/sources/demo/encode-sky.js';
import { SkyBuffers } from '../../../src/sources/demo/sky-buffers.js';
import { renderSky, SKY_LIMITS, skyPlan } from '../../../src/sources/demo/sky.js';

const digest = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

test('the light array is made once, as large as the largest sky, and zeroed for each sky; only a sky over that gets new memory', () => {
  const buffers = new SkyBuffers(30);
  const first = buffers.light(12);
  assert.equal(first.buffer.byteLength, 30 * 4);
  first.fill(7);
  const smaller = buffers.light(6);
  assert.equal(smaller.buffer, first.buffer);
  assert.deepEqual([...smaller], [0, 0, 0, 0, 0, 0]);
  const largest = buffers.light(30);
  assert.equal(largest.buffer, first.buffer);
  assert.equal(largest.length, 30);
  const over = buffers.light(31);
  assert.notEqual(over.buffer, first.buffer);
  assert.equal(buffers.light(31).buffer, over.buffer);
});

test('a pixel array is as large as the largest sky, not handed out while held, reused once released; two are kept', () => {
  const buffers = new SkyBuffers(100);
  const a = buffers.pixels(40);
  assert.deepEqual([a.length, a.buffer.byteLength], [40, 100]);
  const b = buffers.pixels(100);
  assert.notEqual(b.buffer, a.buffer, 'a is held');
  buffers.release(a);
  const c = buffers.pixels(100);
  assert.equal(c.buffer, a.buffer, 'any sky fits a released array');
  const d = buffers.pixels(10);
  for (const held of [b, c, d]) buffers.release(held);
  const next = [buffers.pixels(10), buffers.pixels(10), buffers.pixels(10)].map((p) => p.buffer);
  assert.deepEqual(next.slice(0, 2), [b.buffer, c.buffer]);
  assert.ok(!next.slice(0, 2).includes(next[2]!) && next[2] !== d.buffer, 'a third was not kept');
});

test('skies drawn one after another in kept buffers are the bytes of skies drawn afresh, larger and smaller', () => {
  const buffers = new SkyBuffers(SKY_LIMITS.maxWidth * SKY_LIMITS.maxHeight * 3);
  // Seed 1's skies 0–3: 1168×1754, 2864×1612, 2000×2000, 2922×1644, then 0 again after the larger ones.
  for (const index of [0, 1, 2, 3, 0]) {
    const plan = skyPlan(1, index);
    const pixels = renderSky(plan, buffers);
    assert.equal(pixels.length, plan.width * plan.height * 3);
    assert.equal(digest(pixels), digest(renderSky(plan)), `sky ${index}`);
    buffers.release(pixels);
  }
});

test('two skies encoded at once in the same buffers are each the bytes of one encoded alone', async () => {
  const buffers = new SkyBuffers(SKY_LIMITS.maxWidth * SKY_LIMITS.maxHeight * 3);
  // The second is drawn while sharp still reads the first: its pixels must not be the first's array.
  const together = await Promise.all([encodeSky(1, 5, 'hd', buffers), encodeSky(1, 10, 'hd', buffers), encodeSky(1, 4, 'sd', buffers)]);
  const alone = [await encodeSky(1, 5, 'hd'), await encodeSky(1, 10, 'hd'), await encodeSky(1, 4, 'sd')];
  assert.deepEqual(
    together.map((image) => digest(image.body)),
    alone.map((image) => digest(image.body)),
  );
  const again = await encodeSky(1, 5, 'hd', buffers);
  assert.equal(digest(again.body), digest(alone[0]!.body), 'drawn again in released buffers');
});
