import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeSky } from '../../../src/sources/demo/encode-sky.js';
import { DemoImageCache } from '../../../src/sources/demo/images.js';

test('the sky cache keeps the most recently asked for skies, up to its capacity; one dropped comes back the same', async () => {
  const cache = new DemoImageCache(1, { encode: encodeSky, capacity: 2 });
  const first = cache.get(0, 'hd');
  const again = cache.get(0, 'hd');
  assert.equal(again, first, 'a kept sky is not encoded again');
  cache.get(1, 'hd');
  cache.get(0, 'hd'); // 0 is now the newest, 1 the oldest
  cache.get(2, 'hd');
  assert.equal(cache.size, 2);
  assert.equal(cache.get(0, 'hd'), first, '0 was kept: 1 was dropped');
  const redrawn = cache.get(1, 'hd');
  assert.notEqual(redrawn, first);
  const [a, b] = await Promise.all([first, cache.get(0, 'hd')]);
  assert.equal(a, b);
  assert.deepEqual((await redrawn).body, (await new DemoImageCache(1, { encode: encodeSky }).get(1, 'hd')).body, 'the same bytes whenever encoded');
});
