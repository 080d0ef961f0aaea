import type { Keypoint } from './blob/groups.js';
import { cvRound } from './blob/centers.js';
import type { RgbImage } from './decode.js';
import { opencv, withMat } from './opencv.js';

/**
 * The seed's drawKeypoints(DRAW_RICH_KEYPOINTS) in red: one anti-aliased circle of radius size/2
 * per keypoint, drawn by OpenCV itself (cv.circle, LINE_AA, 4 fractional bits) on a copy of the
 * image. Returns new RGB pixels; the input is left as it was.
 */
export function drawKeypoints(image: RgbImage, keypoints: readonly Keypoint[]): Uint8Array {
  const cv = opencv();
  return withMat(cv, image.height, image.width, cv.CV_8UC3, (mat) => {
    mat.data.set(image.data);
    const red = new cv.Scalar(255, 0, 0, 255);
    for (const kp of keypoints) {
      const center = new cv.Point(cvRound(kp.x * 16), cvRound(kp.y * 16));
      cv.circle(mat, center, cvRound((kp.size / 2) * 16), red, 1, cv.LINE_AA, 4);
    }
    return mat.data.slice();
  });
}
