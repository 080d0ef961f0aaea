import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { drawKeypoints } from '../../src/analysis/annotate.js';
import { detectBlobs } from '../../src/analysis/blob/detect.js';
import { resolveBlobParams } from '../../src/analysis/blob/params.js';
import { decodeImage, rgbToGray, type RgbImage } from '../../src/analysis/decode.js';
import { opencv } from '../../src/analysis/opencv.js';
import { realsky, realskyDir } from '../helpers/fixtures.js';

async function decode(path: string): Promise<RgbImage> {
  return decodeImage(await readFile(path), path);
}

/** The straightforward drawing on one whole-image Mat, to compare the cropped drawing with. */
function drawWhole(image: RgbImage, keypoints: { x: number; y: number; size: number }[]): Uint8Array {
  const cv = opencv();
  const mat = new cv.Mat(image.height, image.width, cv.CV_8UC3);
  try {
    mat.data.set(image.data);
    for (const kp of keypoints) {
      const center = new cv.Point(Math.round(kp.x * 16), Math.round(kp.y * 16));
      cv.circle(mat, center, Math.round((kp.size / 2) * 16), new cv.Scalar(255, 0, 0, 255), 1, cv.LINE_AA, 4);
    }
    return mat.data.slice();
  } finally {
    mat.delete();
  }
}

function countDiffering(a: Uint8Array, b: Uint8Array): number {
  assert.equal(a.length, b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

describe('drawKeypoints', () => {
  for (const name of ['sdss_galaxy_field.jpg', 'eso_ngc2547_open_cluster.png']) {
    test(`${name}: the same pixels as native OpenCV's drawKeypoints (DRAW_RICH_KEYPOINTS, red)`, async () => {
      const image = await decode(realsky(name));
      const keypoints = detectBlobs({ data: rgbToGray(image), width: image.width, height: image.height }, resolveBlobParams());
      const drawn = drawKeypoints(image, keypoints);
      const native = await decode(join(realskyDir, '..', 'annotated', name.replace(/\.\w+$/, '.png')));
      assert.equal(countDiffering(drawn, native.data), 0);
      assert.ok(countDiffering(drawn, image.data) > keypoints.length * 10, 'circles were drawn');
    });
  }

  test('circles that overlap each other and the image edges match one whole-image drawing', async () => {
    const image: RgbImage = { width: 40, height: 30, data: new Uint8Array(40 * 30 * 3).fill(30) };
    const keypoints = [
      { x: 1.25, y: 2.5, size: 9 },
      { x: 4.5, y: 3.5, size: 7.3 },
      { x: 38.9, y: 28.6, size: 12.2 },
      { x: 20, y: 15, size: 30 },
      { x: 21.5, y: 16.5, size: 5.5 },
    ];
    const drawn = drawKeypoints(image, keypoints);
    assert.equal(countDiffering(drawn, drawWhole(image, keypoints)), 0);
    assert.deepEqual(image.data, new Uint8Array(40 * 30 * 3).fill(30), 'the input is left as it was');
  });

  test('no keypoints: an unchanged copy', () => {
    const image: RgbImage = { width: 3, height: 2, data: Uint8Array.from({ length: 18 }, (_, i) => i) };
    const drawn = drawKeypoints(image, []);
    assert.deepEqual(drawn, image.data);
    assert.notEqual(drawn, image.data);
  });
});
