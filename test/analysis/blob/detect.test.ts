import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contourCenter, type Center } from '../../../src/analysis/blob/centers.js';
import { detectBlobs, thresholdLevels } from '../../../src/analysis/blob/detect.js';
import { BlobGroups } from '../../../src/analysis/blob/groups.js';
import { resolveBlobParams, type BlobParams } from '../../../src/analysis/blob/params.js';
import { skyPixels } from '../../helpers/sky.js';
import { random, referenceContours } from '../../helpers/opencv-reference.js';

/** The detector as the spec reads, with opencv-wasm's findContours on every full level: no shortcuts. */
function naiveDetect(gray: Uint8Array, width: number, height: number, params: BlobParams) {
  const groups = new BlobGroups(params.minDistBetweenBlobs);
  for (const level of thresholdLevels(params)) {
    const binary = gray.map((v) => (v > level ? 255 : 0));
    const centers: Center[] = [];
    for (const points of referenceContours(binary, width, height)) {
      const center = contourCenter(Int32Array.from(points), points.length, params, (x, y) => binary[y * width + x] === 255);
      if (center) centers.push(center);
    }
    groups.addLevel(centers);
  }
  return groups.keypoints(params.minRepeatability);
}

/** A noisy sky with stars of every size, some touching each other and the edges, and hot-pixel specks. */
function noisySky(seed: number, width: number, height: number): Uint8Array {
  const next = random(seed);
  const stars = Array.from({ length: 25 }, () => ({
    x: next() * width,
    y: next() * height,
    sigma: 0.7 + next() * 3,
    peak: 40 + next() * 400,
  }));
  const sky = skyPixels(width, height, stars);
  return sky.map((v) => Math.min(255, Math.max(0, v + Math.floor(next() * 40) - 10 + (next() < 0.01 ? 120 : 0))));
}

describe('detectBlobs', () => {
  const variants: [string, Partial<BlobParams>][] = [
    ["the seed's parameters", {}],
    ['dark blobs (blobColor 0)', { blobColor: 0 }],
    ['no area filter (nothing pruned), circularity on', { filterByArea: false, filterByCircularity: true, minCircularity: 0.5 }],
    ['thresholds from below 0, step 30', { minThreshold: -5, thresholdStep: 30, maxThreshold: 200 }],
    ['fractional step: levels that floor to the same value', { minThreshold: 60, thresholdStep: 0.5, maxThreshold: 64 }],
    ['minRepeatability 1 and a large minArea', { minRepeatability: 1, minArea: 40 }],
  ];
  for (const [name, overrides] of variants) {
    test(`${name}: the same keypoints as the straightforward port on opencv-wasm`, () => {
      const params = resolveBlobParams(overrides);
      for (let seed = 1; seed <= 6; seed++) {
        const width = 60 + seed * 7;
        const height = 50 + seed * 5;
        const gray = noisySky(seed, width, height);
        const expected = naiveDetect(gray, width, height, params);
        assert.deepEqual(detectBlobs({ data: gray, width, height }, params), expected, `seed ${seed}`);
        if (Object.keys(overrides).length === 0) assert.ok(expected.length >= 2, `seed ${seed}: the sky has stars to find`);
      }
    });
  }

  test('thresholdLevels steps as OpenCV does, clamped to -1 and 255', () => {
    assert.deepEqual(thresholdLevels(resolveBlobParams()), [50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200, 210]);
    assert.deepEqual(thresholdLevels(resolveBlobParams({ minThreshold: -20, maxThreshold: 300, thresholdStep: 100 })), [-1, 80, 180, 255]);
  });

  test('an empty image has no keypoints', () => {
    assert.deepEqual(detectBlobs({ data: new Uint8Array(0), width: 0, height: 0 }, resolveBlobParams()), []);
    assert.deepEqual(detectBlobs({ data: new Uint8Array(100), width: 10, height: 10 }, resolveBlobParams()), []);
  });
});
