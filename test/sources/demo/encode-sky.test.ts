import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeSky } from '../../../src/sources/demo/encode-sky.js';
import { SkyBuffers } from '../../../src/sources/demo/sky-buffers.js';
import { skyPlan } from '../../../src/sources/demo/sky.js';

test('the pixels stay with the sky being encoded until sharp has encoded them, then are lent again', async () => {
  const plan = skyPlan(1, 0);
  const buffers = new SkyBuffers(1);
  const lent = buffers.borrow(plan.width * plan.height * 3);
  lent.release();
  const encoding = encodeSky(1, 0, 'hd', buffers);
  // Drawn by now (synchronously), and being encoded: another sky drawn meanwhile gets other pixels.
  const meanwhile = buffers.borrow(16);
  assert.notEqual(meanwhile.bytes.buffer, lent.bytes.buffer);
  await encoding;
  assert.equal(buffers.borrow(16).bytes.buffer, lent.bytes.buffer, 'given back once encoded');
});

test('skies encoded at once on one thread, sharing its buffers, are the bytes each gives alone', async () => {
  const indexes = [0, 1, 2, 3];
  const variant = (index: number) => (index % 2 === 0 ? 'hd' : 'sd');
  const together = await Promise.all(indexes.map((index) => encodeSky(1, index, variant(index))));
  for (const [n, index] of indexes.entries()) {
    const alone = await encodeSky(1, index, variant(index), new SkyBuffers());
    assert.deepEqual(together[n]!.body, alone.body, `sky ${index} (${skyPlan(1, index).width} × ${skyPlan(1, index).height})`);
  }
});
