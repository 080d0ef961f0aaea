import assert from 'node:assert/strict';
import { test } from 'node:test';
import { droppedSkiesCollector } from '../../../src/sources/demo/dropped-skies.js';

test('a server thread collects once the skies it has gone through add up to the limit, and counts afresh after', () => {
  let collections = 0;
  const collect = droppedSkiesCollector({ limit: 50, gc: () => collections++ });
  assert.deepEqual([30, 19, 1, 49, 1, 200].map((bytes) => collect(bytes)), [false, false, true, false, true, true]);
  assert.equal(collections, 3);
});

test('without gc (a process not started with --expose-gc, as this one) it never collects', () => {
  assert.equal((globalThis as { gc?: unknown }).gc, undefined);
  const collect = droppedSkiesCollector({ limit: 1 });
  assert.equal(collect(1e9), false);
});
