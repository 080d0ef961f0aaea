import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ContourPlane } from '../../../src/analysis/blob/contours.js';
import { findLevelRuns } from '../../../src/analysis/blob/runs.js';
import { random, referenceContours } from '../../helpers/opencv-reference.js';

/** The port's contours of `gray > level`, in OpenCV's order (newest first). */
function portContours(gray: Uint8Array, width: number, height: number, level = 0): number[][] {
  const plane = new ContourPlane(gray, width, height);
  const found: number[][] = [];
  plane.trace(level, findLevelRuns(gray, width, height, [level], 0)[0]!, (points, length) => found.push(Array.from(points.subarray(0, length))));
  return found.reverse();
}

function fromRows(rows: string[]): { gray: Uint8Array; width: number; height: number } {
  const width = rows[0]!.length;
  const gray = Uint8Array.from(rows.join(''), (c) => (c === '#' ? 255 : 0));
  return { gray, width, height: rows.length };
}

describe('ContourPlane (findContours RETR_LIST, CHAIN_APPROX_NONE)', () => {
  test('a filled square: one outer border, clockwise from its top-left pixel', () => {
    const { gray, width, height } = fromRows(['.....', '.###.', '.###.', '.###.', '.....']);
    assert.deepEqual(portContours(gray, width, height), [[1, 1, 1, 2, 1, 3, 2, 3, 3, 3, 3, 2, 3, 1, 2, 1]]);
  });

  test('a ring gives its hole border first (newest first), then its outer border', () => {
    const { gray, width, height } = fromRows(['#####', '#...#', '#...#', '#####']);
    const contours = portContours(gray, width, height);
    assert.deepEqual(contours, referenceContours(gray, width, height));
    assert.equal(contours.length, 2);
  });

  test('single pixels, diagonal chains and shapes touching every image edge', () => {
    const { gray, width, height } = fromRows(['#...#', '.#.#.', '..#..', '#...#', '##.##']);
    assert.deepEqual(portContours(gray, width, height), referenceContours(gray, width, height));
  });

  test('300 random images of every density equal opencv-wasm, point for point', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const width = 3 + Math.floor(next() * 40);
      const height = 3 + Math.floor(next() * 40);
      const density = next();
      const gray = Uint8Array.from({ length: width * height }, () => (next() < density ? 200 : 0));
      assert.deepEqual(portContours(gray, width, height), referenceContours(gray, width, height), `seed ${seed}`);
    }
  });

  test('every level of one plane, its runs found in one pass, equals findContours of that level', () => {
    const next = random(7);
    const width = 64;
    const height = 48;
    const gray = Uint8Array.from({ length: width * height }, () => Math.floor(next() * 256));
    const plane = new ContourPlane(gray, width, height);
    const levels = [0, 50, 60, 60, 120, 200, 254, 255];
    const allRuns = findLevelRuns(gray, width, height, levels, 0);
    for (const [i, level] of levels.entries()) {
      const found: number[][] = [];
      plane.trace(level, allRuns[i]!, (points, length) => found.push(Array.from(points.subarray(0, length))));
      const binary = gray.map((v) => (v > level ? 255 : 0));
      assert.deepEqual(found.reverse(), referenceContours(binary, width, height), `level ${level}`);
    }
  });
});
