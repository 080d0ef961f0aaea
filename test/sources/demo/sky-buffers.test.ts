import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { encodeSky } from '../../../src/sources/demo/encode-sky.js';
import { SkyBuffers } from '../../../src/sources/demo/sky-buffers.js';
import { renderSky, skyPlan } from '../../../src/sources/demo/sky.js';

const digest = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

test('the light array is the same memory for every sky, zeroed each time, and grows for a larger sky', () => {
  const buffers = new SkyBuffers();
  const first = buffers.light(12);
  first.fill(7);
  const smaller = buffers.light(6);
  assert.equal(smaller.buffer, first.buffer);
  assert.deepEqual([...smaller], [0, 0, 0, 0, 0, 0]);
  const larger = buffers.light(30);
  assert.notEqual(larger.buffer, first.buffer);
  assert.equal(larger.length, 30);
  assert.equal(buffers.light(30).buffer, larger.buffer);
});

test('a pixel array is not handed out while held; released, it serves the next sky that fits; the two largest are kept', () => {
  const buffers = new SkyBuffers();
  const a = buffers.pixels(100);
  const b = buffers.pixels(100);
  assert.notEqual(b.buffer, a.buffer, 'a is held');
  buffers.release(a);
  const c = buffers.pixels(80);
  assert.equal(c.buffer, a.buffer);
  assert.equal(c.length, 80);
  buffers.release(b);
  buffers.release(c);
  const big = buffers.pixels(200); // neither fits
  assert.ok(big.buffer !== a.buffer && big.buffer !== b.buffer);
  buffers.release(big);
  const kept = [buffers.pixels(50), buffers.pixels(50), buffers.pixels(50)].map((p) => p.buffer);
  assert.ok(kept[0] === a.buffer || kept[0] === b.buffer, 'the smallest kept that fits comes first');
  assert.equal(kept[1], big.buffer);
  assert.ok(kept[2] !== a.buffer && kept[2] !== b.buffer && kept[2] !== big.buffer, 'only two were kept');
});

test('skies drawn one after another in kept buffers are the bytes of skies drawn afresh, larger and smaller', () => {
  const buffers = new SkyBuffers();
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
  const buffers = new SkyBuffers();
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
