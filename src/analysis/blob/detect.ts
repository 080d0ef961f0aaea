import { contourCenter, type Center } from './centers.js';
import { ContourPlane } from './contours.js';
import { findLevelRuns } from './runs.js';
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
 * The levels are scanned as OpenCV does, but one pass over the image finds every level's bright
 * runs and each level is traced only there, so the cost follows the bright area rather than
 * seventeen times the image area.
 */
export function detectBlobs(image: GrayImage, params: BlobParams): Keypoint[] {
  const { data, width, height } = image;
  const groups = new BlobGroups(params.minDistBetweenBlobs);
  if (width === 0 || height === 0) return [];
  // Below level 0 every pixel is foreground: the same borders as level 0 of an all-white image.
  // Levels ascend, so the plane switches from white to the image at most once.
  let plane: ContourPlane | undefined;
  let white = false;
  const planeFor = (level: number): ContourPlane => {
    if (!plane || white !== level < 0) {
      white = level < 0;
      plane = new ContourPlane(white ? new Uint8Array(width * height).fill(255) : data, width, height);
    }
    return plane;
  };
  const levels = thresholdLevels(params);
  const allRuns = findLevelRuns(data, width, height, levels, params.filterByArea ? params.minArea : 0);
  for (const [i, level] of levels.entries()) {
    const isForeground = (x: number, y: number): boolean => data[y * width + x]! > level;
    const centers: Center[] = [];
    planeFor(level).trace(Math.max(level, 0), allRuns[i]!, (points, length) => {
      const center = contourCenter(points, length, params, isForeground);
      if (center) centers.push(center);
    });
    // OpenCV lists a level's contours newest first.
    groups.addLevel(centers.reverse());
  }
  return groups.keypoints(params.minRepeatability);
}

/**
 * The binarisation levels, as OpenCV steps them (`for (double t = min; t < max; t += step)`, with
 * float parameters) and as threshold() applies them to 8-bit images: pixel > cvFloor(t), clamped to
 * -1 (every pixel passes) and 255 (none does).
 */
export function thresholdLevels(params: BlobParams): number[] {
  const levels: number[] = [];
  for (let t = params.minThreshold; t < params.maxThreshold; t += params.thresholdStep) {
    levels.push(Math.min(255, Math.max(-1, Math.floor(t))));
  }
  return levels;
}
