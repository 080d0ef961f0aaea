import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cvRound, inertiaRatio } from '../../../src/analysis/blob/centers.js';
import { BlobParamsError, FLT_MAX, resolveBlobParams, SEED_BLOB_PARAMS } from '../../../src/analysis/blob/params.js';

describe('blob detector parameters', () => {
  test("the seed's parameters: blobColor 255, minArea 10, OpenCV's defaults as float32", () => {
    const params = resolveBlobParams();
    assert.equal(params.blobColor, 255);
    assert.equal(params.minArea, 10);
    assert.equal(params.minInertiaRatio, 0.10000000149011612);
    assert.equal(params.minConvexity, 0.949999988079071);
    assert.equal(params.maxConvexity, FLT_MAX);
    assert.deepEqual(Object.keys(params), Object.keys(SEED_BLOB_PARAMS));
  });

  test('every parameter can be overridden, and floats are rounded to float32', () => {
    const params = resolveBlobParams({ minArea: 5.1, filterByConvexity: false, minRepeatability: 3 });
    assert.equal(params.minArea, Math.fround(5.1));
    assert.equal(params.filterByConvexity, false);
    assert.equal(params.minRepeatability, 3);
  });

  test('bad parameters are refused with E_DETECTOR_PARAMS and a message naming them', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ minAreaa: 5 }, /Unknown parameter minAreaa for the blob detector; it has: thresholdStep, /],
      [{ minArea: 'big' }, /minArea must be a number, but received big/],
      [{ filterByArea: 1 }, /filterByArea must be a boolean/],
      [{ thresholdStep: 0 }, /thresholdStep must be above 0/],
      [{ minRepeatability: 0 }, /minRepeatability must be a whole number of at least 1/],
      [{ blobColor: 300 }, /blobColor must be 0 to 255/],
    ];
    for (const [overrides, message] of cases) {
      assert.throws(
        () => resolveBlobParams(overrides as never),
        (error: unknown) => error instanceof BlobParamsError && error.code === 'E_DETECTOR_PARAMS' && message.test(error.message),
      );
    }
  });
});

describe('per-contour measures', () => {
  test('cvRound rounds halves to even, like lrint', () => {
    assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 2.5001].map(cvRound), [0, 2, 2, 0, -2, 2, 3]);
  });

  test('inertiaRatio: 1 for a circle, towards 0 for a line, 1 below the 1e-2 denominator', () => {
    assert.equal(inertiaRatio(10, 0, 10), 1);
    assert.equal(inertiaRatio(100, 0, 1), 0.01);
    assert.equal(inertiaRatio(1.004, 0, 1), 1);
  });
});
