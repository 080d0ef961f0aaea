import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { closedArcLength, contourMoments, convexHullArea } from '../../../src/analysis/blob/geometry.js';
import { cvRef, random, withPointsMat } from '../../helpers/opencv-reference.js';

/** Random closed integer polygons, from tiny to a few hundred points. */
function polygons(count: number): number[][] {
  const next = random(42);
  return Array.from({ length: count }, () => {
    const n = 1 + Math.floor(next() * 300);
    return Array.from({ length: 2 * n }, () => Math.floor(next() * 3000));
  });
}

describe('contour geometry, bit-identical to OpenCV', () => {
  test('contourMoments equals cv.moments exactly (m00, m10, m01, mu20, mu11, mu02)', () => {
    for (const points of polygons(300)) {
      const mine = contourMoments(Int32Array.from(points), points.length);
      const ref = withPointsMat(points, (mat) => cvRef.moments(mat));
      assert.deepEqual(mine, { m00: ref.m00, m10: ref.m10, m01: ref.m01, mu20: ref.mu20, mu11: ref.mu11, mu02: ref.mu02 });
    }
  });

  test('a filled 4×4 square traced through pixel centres has m00 = 9, centre (1.5, 1.5)', () => {
    const square = Int32Array.from([0, 0, 0, 3, 3, 3, 3, 0]);
    const m = contourMoments(square, square.length);
    assert.equal(m.m00, 9);
    assert.equal(m.m10 / m.m00, 1.5);
    assert.equal(m.m01 / m.m00, 1.5);
  });

  test('a degenerate polygon has all-zero moments', () => {
    const line = Int32Array.from([0, 0, 5, 5, 0, 0]);
    assert.deepEqual(contourMoments(line, line.length), { m00: 0, m10: 0, m01: 0, mu20: 0, mu11: 0, mu02: 0 });
  });

  test('convexHullArea equals contourArea(convexHull(points))', () => {
    for (const points of polygons(300)) {
      const mine = convexHullArea(Int32Array.from(points), points.length);
      const ref = withPointsMat(points, (mat) => {
        const hull = new cvRef.Mat();
        try {
          cvRef.convexHull(mat, hull, false, true);
          return cvRef.contourArea(hull);
        } finally {
          hull.delete();
        }
      });
      assert.equal(mine, ref);
    }
  });

  test('closedArcLength equals arcLength(points, true)', () => {
    for (const points of polygons(100)) {
      const ref = withPointsMat(points, (mat) => cvRef.arcLength(mat, true));
      assert.equal(closedArcLength(Int32Array.from(points), points.length), ref);
    }
  });
});
