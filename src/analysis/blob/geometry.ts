/**
 * Shape measures of one contour (interleaved integer x, y), computed as OpenCV computes them, so
 * that the results are bit-identical: `moments` (contourMoments), `convexHullArea`
 * (contourArea(convexHull)) and `arcLength` (closed).
 */

/** The moments SimpleBlobDetector reads. */
export interface ContourMoments {
  m00: number;
  m10: number;
  m01: number;
  mu20: number;
  mu11: number;
  mu02: number;
}

/**
 * OpenCV's contourMoments (modules/imgproc/src/moments.cpp) up to second order. For integer points
 * every partial sum is an exact integer in a double, so the result depends only on the polygon.
 * Returns all zeros for a degenerate polygon (|a00| <= FLT_EPSILON), as OpenCV does.
 */
export function contourMoments(points: Int32Array, length: number): ContourMoments {
  let a00 = 0, a10 = 0, a01 = 0, a20 = 0, a11 = 0, a02 = 0;
  let xi1 = points[length - 2]!;
  let yi1 = points[length - 1]!;
  for (let i = 0; i < length; i += 2) {
    const xi = points[i]!;
    const yi = points[i + 1]!;
    const dxy = xi1 * yi - xi * yi1;
    const xii1 = xi1 + xi;
    const yii1 = yi1 + yi;
    a00 += dxy;
    a10 += dxy * xii1;
    a01 += dxy * yii1;
    a20 += dxy * (xi1 * xii1 + xi * xi);
    a11 += dxy * (xi1 * (yii1 + yi1) + xi * (yii1 + yi));
    a02 += dxy * (yi1 * yii1 + yi * yi);
    xi1 = xi;
    yi1 = yi;
  }
  if (!(Math.abs(a00) > FLT_EPSILON)) return { m00: 0, m10: 0, m01: 0, mu20: 0, mu11: 0, mu02: 0 };
  const sign = a00 > 0 ? 1 : -1;
  const m00 = a00 * (sign * 0.5);
  const m10 = a10 * (sign * 0.16666666666666666);
  const m01 = a01 * (sign * 0.16666666666666666);
  const m20 = a20 * (sign * 0.08333333333333333);
  const m11 = a11 * (sign * 0.041666666666666664);
  const m02 = a02 * (sign * 0.08333333333333333);
  // completeMomentState
  let cx = 0;
  let cy = 0;
  if (Math.abs(m00) > DBL_EPSILON) {
    const invM00 = 1 / m00;
    cx = m10 * invM00;
    cy = m01 * invM00;
  }
  return { m00, m10, m01, mu20: m20 - m10 * cx, mu11: m11 - m10 * cy, mu02: m02 - m01 * cy };
}

export const FLT_EPSILON = 1.1920928955078125e-7;
export const DBL_EPSILON = 2.220446049250313e-16;

/**
 * Area of the convex hull of the points. Only each row's leftmost and rightmost points can be hull
 * vertices, and taking them row by row gives them already sorted, so the monotone chain runs in
 * O(points + rows) without a sort. Hull vertices are integers, so the shoelace sum is exact and
 * equals OpenCV's contourArea(convexHull(points)).
 */
export function convexHullArea(points: Int32Array, length: number): number {
  let yMin = points[1]!;
  let yMax = yMin;
  for (let i = 3; i < length; i += 2) {
    const y = points[i]!;
    if (y < yMin) yMin = y;
    else if (y > yMax) yMax = y;
  }
  const rows = yMax - yMin + 1;
  const left = scratch('left', rows).fill(0x7fffffff, 0, rows);
  const right = scratch('right', rows).fill(-0x80000000, 0, rows);
  for (let i = 0; i < length; i += 2) {
    const x = points[i]!;
    const r = points[i + 1]! - yMin;
    if (x < left[r]!) left[r] = x;
    if (x > right[r]!) right[r] = x;
  }
  // Candidates sorted by (y, x): each row's extremes (rows with no point have none).
  const cx = scratch('cx', 2 * rows);
  const cy = scratch('cy', 2 * rows);
  let n = 0;
  for (let r = 0; r < rows; r++) {
    if (left[r]! > right[r]!) continue;
    cx[n] = left[r]!;
    cy[n++] = r + yMin;
    if (right[r]! !== left[r]!) {
      cx[n] = right[r]!;
      cy[n++] = r + yMin;
    }
  }
  const hx = scratch('hx', 2 * n + 2);
  const hy = scratch('hy', 2 * n + 2);
  let k = 0;
  const turn = (i: number): number =>
    (hx[k - 1]! - hx[k - 2]!) * (cy[i]! - hy[k - 2]!) - (hy[k - 1]! - hy[k - 2]!) * (cx[i]! - hx[k - 2]!);
  for (let i = 0; i < n; i++) {
    while (k >= 2 && turn(i) <= 0) k--;
    hx[k] = cx[i]!;
    hy[k++] = cy[i]!;
  }
  for (let i = n - 2, lower = k + 1; i >= 0; i--) {
    while (k >= lower && turn(i) <= 0) k--;
    hx[k] = cx[i]!;
    hy[k++] = cy[i]!;
  }
  k--; // the chain ends where it began
  let twice = 0;
  for (let i = 0, j = k - 1; i < k; j = i++) twice += hx[j]! * hy[i]! - hy[j]! * hx[i]!;
  return Math.abs(twice * 0.5);
}

/** Reusable work arrays (one thread runs one detection at a time). */
const buffers = new Map<string, Int32Array>();
function scratch(name: string, size: number): Int32Array {
  let buffer = buffers.get(name);
  if (!buffer || buffer.length < size) {
    buffer = new Int32Array(Math.max(size, 2 * (buffer?.length ?? 256)));
    buffers.set(name, buffer);
  }
  return buffer;
}

/** OpenCV's arcLength(points, closed = true) for integer points: float32 steps summed in a double. */
export function closedArcLength(points: Int32Array, length: number): number {
  let perimeter = 0;
  let px = points[length - 2]!;
  let py = points[length - 1]!;
  for (let i = 0; i < length; i += 2) {
    const dx = points[i]! - px;
    const dy = points[i + 1]! - py;
    perimeter += Math.fround(Math.sqrt(dx * dx + dy * dy));
    px = points[i]!;
    py = points[i + 1]!;
  }
  return perimeter;
}
