import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bucketCount, histogram, histogramRows } from '../../src/ui/histogram.js';

describe('histogram', () => {
  test('puts integer values in equal buckets from 0 to the largest', () => {
    const h = histogram([0, 1, 5, 9, 10, 10], 4);
    assert.equal(h.min, 0);
    assert.equal(h.max, 10);
    assert.equal(h.size, 3);
    assert.deepEqual(h.counts, [2, 1, 0, 3]);
    assert.equal(h.total, 6);
  });

  test('uses one value per bucket when there is room, and no buckets without values', () => {
    assert.deepEqual(histogram([2, 2, 3], 10).counts, [0, 0, 2, 1]);
    assert.deepEqual(histogram([], 10).counts, []);
  });

  test('every value lands in a bucket', () => {
    const values = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 613);
    const h = histogram(values, 17);
    assert.ok(h.counts.length <= 17);
    assert.equal(h.counts.reduce((a, b) => a + b, 0), 1000);
  });

  test('bucketCount follows the Rice rule within the room', () => {
    assert.equal(bucketCount(1000, 50), 20);
    assert.equal(bucketCount(1000, 8), 8);
    assert.equal(bucketCount(0, 8), 1);
  });
});

describe('histogramRows', () => {
  test('draws bars with eighth blocks, the tallest full height', () => {
    assert.deepEqual(histogramRows([4, 2, 0, 1], 2), ['█   ', '██ ▄']);
  });

  test('a non-empty bucket always shows, and width and gap repeat', () => {
    assert.deepEqual(histogramRows([1000, 1], 1, 2, 1), ['██ ▁▁ ']);
    assert.deepEqual(histogramRows([], 3), ['', '', '']);
  });
});
