import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { detectBlobs } from '../../src/analysis/blob/detect.js';
import { resolveBlobParams } from '../../src/analysis/blob/params.js';
import { decodeImage, rgbToGray } from '../../src/analysis/decode.js';

/**
 * Parity with native OpenCV: every fixture image, decoded, greyed and detected by stardash, must give
 * the keypoints that cv2.imread + cv2.SimpleBlobDetector give (test/fixtures/make-references.py),
 * same count, same order, same values. The fixtures cover each decode path: JPEG (with ICC profiles,
 * EXIF orientations, CMYK), PNG (grey, RGBA, 16-bit), WebP, TIFF and GIF.
 */

interface Reference {
  readonly images: Record<string, readonly (readonly [number, number, number])[]>;
  readonly files: Record<string, { readonly width: number; readonly height: number; readonly readVia?: string }>;
}

// Compiled tests run from dist/test/analysis/; the fixtures stay in the source tree.
const FIXTURES = new URL('../../../test/fixtures/images/', import.meta.url);
const reference = JSON.parse(readFileSync(new URL('opencv-blob-reference.json', FIXTURES), 'utf8')) as Reference;
/** float32 values printed by OpenCV and computed by the port agree exactly; this only absorbs printing. */
const TOLERANCE = 1e-3;

test('every fixture image has an OpenCV reference', () => {
  const images = readdirSync(FIXTURES).filter((name) => /\.(jpe?g|png|webp|tiff?|gif)$/i.test(name));
  assert.deepEqual(images.sort(), Object.keys(reference.images).sort());
});

for (const [name, expected] of Object.entries(reference.images)) {
  const readVia = reference.files[name]?.readVia;
  test(`${name} matches OpenCV (${expected.length} keypoints${readVia ? ', reference read via Pillow' : ''})`, async () => {
    const image = await decodeImage(readFileSync(new URL(name, FIXTURES)), name);
    const { width, height } = reference.files[name] ?? {};
    assert.deepEqual({ width: image.width, height: image.height }, { width, height }, 'decoded size');
    const keypoints = detectBlobs({ data: rgbToGray(image), width: image.width, height: image.height }, resolveBlobParams());
    assert.equal(keypoints.length, expected.length, 'keypoint count');
    keypoints.forEach((keypoint, i) => {
      const [x, y, size] = expected[i]!;
      const actual = `keypoint ${i}: got (${keypoint.x}, ${keypoint.y}, ${keypoint.size}), OpenCV has (${x}, ${y}, ${size})`;
      assert.ok(Math.abs(keypoint.x - x) <= TOLERANCE, actual);
      assert.ok(Math.abs(keypoint.y - y) <= TOLERANCE, actual);
      assert.ok(Math.abs(keypoint.size - size) <= TOLERANCE, actual);
    });
  });
}
