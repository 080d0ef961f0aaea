import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Neighbours } from '../../../src/analysis/sky/neighbours.js';

const objects = [{ x: 10, y: 10 }, { x: 14, y: 12 }, { x: 10, y: 17.5 }, { x: 30, y: 30 }, { x: 6.5, y: 6.5 }];

test('the objects near a point, within a square reach, itself left out', () => {
  const near = new Neighbours(objects, 8);
  assert.deepEqual(near.within(objects[0]!, 0, 4).sort(), [1, 4]);
  assert.deepEqual(near.within(objects[0]!, 0, 7.5).sort(), [1, 2, 4]);
  assert.deepEqual(near.within({ x: 29, y: 29 }, -1, 2), [3]);
});

test('whether another object lies within a radius', () => {
  const near = new Neighbours(objects, 8);
  assert.equal(near.closest({ x: 13, y: 12 }, 0, 1.5), true);
  assert.equal(near.closest({ x: 14, y: 12 }, 1, 1.5), false);
});
