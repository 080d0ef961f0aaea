import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Center } from '../../../src/analysis/blob/centers.js';
import { BlobGroups } from '../../../src/analysis/blob/groups.js';
import { random } from '../../helpers/opencv-reference.js';

/** OpenCV's grouping as written in blobdetector.cpp: a linear scan over every group. */
function linearScan(levels: Center[][], minDist: number, minRepeatability: number) {
  const groups: Center[][] = [];
  for (const centers of levels) {
    const fresh: Center[][] = [];
    for (const c of centers) {
      let isNew = true;
      for (const g of groups) {
        const ref = g[g.length >> 1]!;
        const dist = Math.sqrt((ref.x - c.x) ** 2 + (ref.y - c.y) ** 2);
        isNew = dist >= minDist && dist >= ref.radius && dist >= c.radius;
        if (!isNew) {
          let k = g.length;
          g.push(c);
          while (k > 0 && c.radius < g[k - 1]!.radius) {
            g[k] = g[k - 1]!;
            k--;
          }
          g[k] = c;
          break;
        }
      }
      if (isNew) fresh.push([c]);
    }
    groups.push(...fresh);
  }
  return groups
    .filter((g) => g.length >= minRepeatability)
    .map((g) => {
      let sx = 0;
      let sy = 0;
      let norm = 0;
      for (const c of g) {
        sx += c.confidence * c.x;
        sy += c.confidence * c.y;
        norm += c.confidence;
      }
      return { x: Math.fround(sx * (1 / norm)), y: Math.fround(sy * (1 / norm)), size: Math.fround(Math.fround(g[g.length >> 1]!.radius) * 2) };
    });
}

describe('BlobGroups (matching blobs across threshold levels)', () => {
  test('a blob seen on two levels becomes one keypoint at the confidence-weighted centre', () => {
    const groups = new BlobGroups(10);
    groups.addLevel([{ x: 10, y: 10, radius: 3, confidence: 1 }]);
    groups.addLevel([{ x: 12, y: 10, radius: 2, confidence: 0.25 }]);
    assert.deepEqual(groups.keypoints(2), [{ x: Math.fround(10.4), y: 10, size: 6 }]);
  });

  test('blobs of one level never merge with each other, and single sightings are dropped', () => {
    const groups = new BlobGroups(10);
    groups.addLevel([
      { x: 10, y: 10, radius: 3, confidence: 1 },
      { x: 11, y: 10, radius: 3, confidence: 1 },
    ]);
    assert.deepEqual(groups.keypoints(1).length, 2);
    assert.deepEqual(groups.keypoints(2), []);
  });

  test('a large radius reaches further than minDistBetweenBlobs', () => {
    const groups = new BlobGroups(10);
    groups.addLevel([{ x: 100, y: 100, radius: 40, confidence: 1 }]);
    groups.addLevel([{ x: 130, y: 100, radius: 1, confidence: 1 }]);
    assert.equal(groups.keypoints(2).length, 1);
  });

  test('the grid gives the same groups as the linear scan on crowded random fields', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const next = random(seed);
      const levels = Array.from({ length: 17 }, () =>
        Array.from({ length: Math.floor(next() * 150) }, (): Center => ({
          x: next() * 300,
          y: next() * 200,
          radius: next() < 0.05 ? next() * 60 : next() * 6,
          confidence: next(),
        })),
      );
      const groups = new BlobGroups(10);
      for (const level of levels) groups.addLevel(level);
      assert.deepEqual(groups.keypoints(2), linearScan(levels, 10, 2), `seed ${seed}`);
    }
  });
});
