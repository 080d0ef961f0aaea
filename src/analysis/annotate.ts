import type { Keypoint } from './blob/groups.js';
import { cvRound } from './blob/centers.js';
import type { RgbImage } from './decode.js';
import { opencv, withMat } from './opencv.js';

/** Pixels beyond the circle an anti-aliased, 1-pixel line may touch. */
const MARGIN = 3;

/**
 * The seed's drawKeypoints(DRAW_RICH_KEYPOINTS) in red: one anti-aliased circle of radius size/2 per
 * keypoint, drawn by OpenCV itself (cv.circle, LINE_AA, 4 fractional bits). Returns new RGB pixels.
 *
 * opencv-wasm's heap is a fixed 128 MiB, too small for a large photo, so each circle is drawn on a
 * small Mat holding just its neighbourhood (with the current pixels, so overlaps blend as in one
 * pass) and copied back. Moving the centre by whole pixels moves the drawn pixels exactly, so the
 * result equals drawing on the whole image (test/analysis/annotate.test.ts checks it).
 */
export function drawKeypoints(image: RgbImage, keypoints: readonly Keypoint[]): Uint8Array {
  const cv = opencv();
  const out = image.data.slice();
  const red = new cv.Scalar(255, 0, 0, 255);
  for (const kp of keypoints) {
    const cx = cvRound(kp.x * 16);
    const cy = cvRound(kp.y * 16);
    const r = cvRound((kp.size / 2) * 16);
    const reach = Math.ceil(r / 16) + MARGIN;
    const x0 = Math.max(0, Math.floor(cx / 16) - reach);
    const y0 = Math.max(0, Math.floor(cy / 16) - reach);
    const x1 = Math.min(image.width, Math.floor(cx / 16) + reach + 1);
    const y1 = Math.min(image.height, Math.floor(cy / 16) + reach + 1);
    if (x1 <= x0 || y1 <= y0) continue;
    const w = x1 - x0;
    withMat(cv, y1 - y0, w, cv.CV_8UC3, (mat) => {
      for (let y = y0; y < y1; y++) mat.data.set(out.subarray((y * image.width + x0) * 3, (y * image.width + x1) * 3), (y - y0) * w * 3);
      cv.circle(mat, new cv.Point(cx - x0 * 16, cy - y0 * 16), r, red, 1, cv.LINE_AA, 4);
      for (let y = y0; y < y1; y++) out.set(mat.data.subarray((y - y0) * w * 3, (y - y0 + 1) * w * 3), (y * image.width + x0) * 3);
    });
  }
  return out;
}
