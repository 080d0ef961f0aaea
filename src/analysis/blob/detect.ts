import { contourCenter, type Center } from './centers.js';
import { ContourPlane, type RowRuns } from './contours.js';
import { BlobGroups, type Keypoint } from './groups.js';
import type { BlobParams } from './params.js';

/** An 8-bit single-channel image, row-major without padding. */
export interface GrayImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * OpenCV's SimpleBlobDetector::detect on a grayscale image (spec/blob-detector.md), returning the
 * same keypoints in the same order. `params` must come from resolveBlobParams (float32 fields).
 *
 * The levels are scanned as OpenCV does, but each level looks only at the pixels that were
 * foreground on the level below (a pixel above t is above every lower threshold), so the cost
 * follows the bright area rather than the image area.
 */
export function detectBlobs(image: GrayImage, params: BlobParams): Keypoint[] {
  const { data, width, height } = image;
  const groups = new BlobGroups(params.minDistBetweenBlobs);
  if (width === 0 || height === 0) return [];
  const plane = new ContourPlane(data, width, height);
  let runs: RowRuns | undefined;
  for (let t = params.minThreshold; t < params.maxThreshold; t += params.thresholdStep) {
    // threshold() on 8-bit images compares against cvFloor(thresh); below 0 every pixel passes.
    const level = Math.floor(t);
    if (level >= 255) {
      groups.addLevel([]);
      continue;
    }
    const clamped = Math.max(level, -1);
    runs = plane.findRuns(clamped, runs);
    const isForeground = (x: number, y: number): boolean => data[y * width + x]! > clamped;
    const centers: Center[] = [];
    plane.trace(clamped, runs, (points, length) => {
      const center = contourCenter(points, length, params, isForeground);
      if (center) centers.push(center);
    });
    // OpenCV lists a level's contours newest first.
    groups.addLevel(centers.reverse());
  }
  return groups.keypoints(params.minRepeatability);
}
