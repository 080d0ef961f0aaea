import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rgbToGray, type RgbImage } from '../../src/analysis/decode.js';

const image: RgbImage = { width: 2, height: 1, data: Uint8Array.from([255, 255, 255, 10, 200, 30]) };

test('rgbToGray: the fixed-point weights of OpenCV, into a new array or into the one given', () => {
  const expected = [255, (10 * 4899 + 200 * 9617 + 30 * 1868 + 8192) >> 14];
  assert.deepEqual([...rgbToGray(image)], expected);
  const into = new Uint8Array([9, 9]);
  assert.equal(rgbToGray(image, into), into);
  assert.deepEqual([...into], expected);
  assert.throws(() => rgbToGray(image, new Uint8Array(3)), /rgbToGray: gray has 3 bytes, the image needs 2/);
});
