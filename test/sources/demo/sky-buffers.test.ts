import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SkyBuffers } from '../../../src/sources/demo/sky-buffers.js';

test('light is zeros of the length asked for, in one array grown to the largest length so far', () => {
  const buffers = new SkyBuffers();
  const first = buffers.light(12);
  first.fill(7);
  const smaller = buffers.light(5);
  assert.equal(smaller.buffer, first.buffer, 'a smaller sky reuses the array');
  assert.deepEqual([...smaller], [0, 0, 0, 0, 0], 'zeroed again, not what the last sky left');
  const larger = buffers.light(20);
  assert.notEqual(larger.buffer, first.buffer);
  assert.equal(larger.length, 20);
  assert.equal(buffers.light(12).buffer, larger.buffer, 'kept at the largest size');
});

test('a borrowed buffer is lent to nobody else until released, then lent again', () => {
  const buffers = new SkyBuffers(2);
  const a = buffers.borrow(10);
  const b = buffers.borrow(10);
  assert.notEqual(b.bytes.buffer, a.bytes.buffer, 'two skies in flight never share their pixels');
  a.bytes.fill(1);
  a.release();
  const c = buffers.borrow(6);
  assert.equal(c.bytes.buffer, a.bytes.buffer, 'a released buffer is reused');
  assert.equal(c.bytes.length, 6);
  assert.notEqual(buffers.borrow(6).bytes.buffer, a.bytes.buffer, 'and lent to one borrower at a time');
});

test('a released buffer too small for the next sky is replaced; releasing twice returns it once', () => {
  const buffers = new SkyBuffers(2);
  const small = buffers.borrow(4);
  small.release();
  small.release();
  const big = buffers.borrow(8);
  assert.notEqual(big.bytes.buffer, small.bytes.buffer);
  assert.equal(big.bytes.length, 8);
  const other = buffers.borrow(4);
  assert.notEqual(other.bytes.buffer, small.bytes.buffer, 'the double release did not put it in twice');
  big.release();
  assert.equal(buffers.borrow(4).bytes.buffer, big.bytes.buffer, 'the larger one is kept');
});

test('at most `keep` released buffers are kept', () => {
  const buffers = new SkyBuffers(1);
  const a = buffers.borrow(4);
  const b = buffers.borrow(4);
  a.release();
  b.release(); // beyond keep: dropped
  assert.equal(buffers.borrow(4).bytes.buffer, a.bytes.buffer);
  const next = buffers.borrow(4).bytes.buffer;
  assert.notEqual(next, a.bytes.buffer);
  assert.notEqual(next, b.bytes.buffer);
});
