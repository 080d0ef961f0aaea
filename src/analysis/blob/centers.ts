import type { BlobParams } from './params.js';
import { closedArcLength, contourMoments, convexHullArea } from './geometry.js';

/** A blob found at one threshold level: SimpleBlobDetector's `Center`. */
export interface Center {
  x: number;
  y: number;
  radius: number;
  confidence: number;
}

/** C's lrint in the default rounding mode (half to even), as cvRound does. */
export function cvRound(value: number): number {
  const floor = Math.floor(value);
  const diff = value - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * SimpleBlobDetector's findBlobs for one contour: the area, circularity, inertia and convexity
 * filters, the centre, the colour check and the median radius. Returns null when a filter rejects.
 * `isForeground(x, y)` says whether the level's binary image is 255 there.
 */
export function contourCenter(
  points: Int32Array,
  length: number,
  params: BlobParams,
  isForeground: (x: number, y: number) => boolean,
): Center | null {
  if (params.filterByArea && maxPolygonArea(length / 2) < params.minArea) return null;
  const moms = contourMoments(points, length);
  const area = moms.m00;
  if (params.filterByArea && (area < params.minArea || area >= params.maxArea)) return null;

  if (params.filterByCircularity) {
    const perimeter = closedArcLength(points, length);
    const ratio = (4 * Math.PI * area) / (perimeter * perimeter);
    if (ratio < params.minCircularity || ratio >= params.maxCircularity) return null;
  }

  let confidence = 1;
  if (params.filterByInertia) {
    const ratio = inertiaRatio(moms.mu20, moms.mu11, moms.mu02);
    if (ratio < params.minInertiaRatio || ratio >= params.maxInertiaRatio) return null;
    confidence = ratio * ratio;
  }

  if (params.filterByConvexity) {
    const hullArea = convexHullArea(points, length);
    if (Math.abs(hullArea) < Number.EPSILON) return null;
    const ratio = area / hullArea;
    if (ratio < params.minConvexity || ratio >= params.maxConvexity) return null;
  }

  if (area === 0) return null;
  const x = moms.m10 / moms.m00;
  const y = moms.m01 / moms.m00;

  if (params.filterByColor) {
    const value = isForeground(cvRound(x), cvRound(y)) ? 255 : 0;
    if (value !== params.blobColor) return null;
  }

  return { x, y, radius: medianDistance(points, length, x, y), confidence };
}

/**
 * The largest area a contour of `points` chain points can enclose: its perimeter is at most
 * points·√2 (each step is 1 or √2 long), and no closed curve of perimeter P encloses more than
 * P²/4π. Most contours of a star field are specks of a few points that this rejects before any
 * moment is computed.
 */
export function maxPolygonArea(points: number): number {
  return (points * points) / (2 * Math.PI);
}

/** Minimum over maximum inertia: 1 for a circle, towards 0 for a line (OpenCV's formula). */
export function inertiaRatio(mu20: number, mu11: number, mu02: number): number {
  const twoMu11 = 2 * mu11;
  const diff = mu20 - mu02;
  const denominator = Math.sqrt(twoMu11 * twoMu11 + diff * diff);
  if (!(denominator > 1e-2)) return 1;
  const cosmin = diff / denominator;
  const sinmin = twoMu11 / denominator;
  const half = 0.5 * (mu20 + mu02);
  const imin = half - 0.5 * diff * cosmin - mu11 * sinmin;
  const imax = half - 0.5 * diff * -cosmin - mu11 * -sinmin;
  return imin / imax;
}

/** The median distance from (x, y) to the points, averaging the two middle ones. */
function medianDistance(points: Int32Array, length: number, x: number, y: number): number {
  const n = length / 2;
  const dists = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const dx = x - points[2 * i]!;
    const dy = y - points[2 * i + 1]!;
    dists[i] = Math.sqrt(dx * dx + dy * dy);
  }
  dists.sort();
  return (dists[(n - 1) >> 1]! + dists[n >> 1]!) / 2;
}
