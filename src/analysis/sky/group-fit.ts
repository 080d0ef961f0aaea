/**
 * Fitting a group of stars together (as DAOPHOT's ALLSTAR does): round Gaussians of the image's
 * typical σ and a flat sky, by least squares on a square window: first the heights alone, every
 * centre held where it was found (linear, solved at once); then, by Gauss–Newton, the height and
 * centre of a few stars with the others' light frozen as that first fit left it: a star's
 * neighbours take their light off it without the fit having to place them too.
 */
import { gaussianRun } from './gaussian-run.js';
import { accumulateGroup, groupEquations, MAX_FITTED } from './group-normal.js';
import { MAX_SIDE } from './psf-normal.js';
import { solve, type FitWindow } from './psf-fit.js';

/** A star of a group: its height above the sky and its centre (image pixels). */
export interface GroupStar {
  amplitude: number;
  x: number;
  y: number;
  /** Held as it is in fitGroup (its light taken off, nothing of it fitted). */
  frozen: boolean;
}

export interface GroupFit {
  stars: GroupStar[];
  sky: number;
  /** Σ (pixel − model)² over the window's pixels (grey levels²). */
  chi2: number;
  pixels: number;
}

/** The most stars a group holds (its scratch is this large). */
export const MAX_GROUP = 16;
/** Largest step of a centre per iteration (px): Gauss–Newton overshoots far from the minimum. */
const MAX_STEP = 1;
/** A fit has settled when no centre moves more than this (px). */
const SETTLE = 0.01;
/** fitHeights' unknowns: a height per star and the sky. */
const MAX_PARAMS = MAX_GROUP + 1;

// Scratch, reused from fit to fit.
const gx = new Float64Array((MAX_GROUP + 1) * MAX_SIDE);
const gy = new Float64Array((MAX_GROUP + 1) * MAX_SIDE);
const normal = new Float64Array(MAX_PARAMS * MAX_PARAMS);
const rhs = new Float64Array(MAX_PARAMS);
/** A row of pixel values, clipped ones as 0. */
const rowValues = new Float64Array(MAX_SIDE);
/** The frozen stars' light over the window (row-major). */
const frozenLight = new Float64Array(MAX_SIDE * MAX_SIDE);

/**
 * Fits `start` (at most MAX_GROUP stars, at most MAX_FITTED of them not frozen) and a flat sky to
 * the window, in at most `iterations` Gauss–Newton steps, the frozen stars held. Undefined when the
 * window or the group is too large, the system is singular, or a fitted centre leaves the window.
 */
export function fitGroup(win: FitWindow, sigma: number, start: readonly GroupStar[], sky0: number, iterations: number): GroupFit | undefined {
  const n = start.length;
  if (win.side > MAX_SIDE || n < 1 || n > MAX_GROUP) return undefined;
  const stars = start.map((s) => ({ amplitude: s.amplitude, x: s.x, y: s.y, frozen: s.frozen }));
  // The frozen stars' light is the same at every step: summed once.
  const fitted = stars.filter((s) => !s.frozen);
  if (fitted.length < 1 || fitted.length > MAX_FITTED) return undefined;
  frozenModel(win, sigma, stars.filter((s) => s.frozen));
  const params = 3 * fitted.length + 1; // (a, x, y) per star, then the sky
  let sky = sky0;
  for (let iteration = 0; ; iteration++) {
    const chi2 = accumulateGroup(win, sigma, fitted, sky, frozenLight);
    if (iteration === iterations) return { stars, sky, chi2, pixels: groupEquations.pixels };
    if (!solve(groupEquations.normal, groupEquations.rhs, params)) return undefined;
    const rhs = groupEquations.rhs;
    let settled = true;
    for (let j = 0; j < fitted.length; j++) {
      const s = fitted[j]!;
      const p = 3 * j;
      s.amplitude += rhs[p]!;
      const dx = Math.max(-MAX_STEP, Math.min(MAX_STEP, rhs[p + 1]!));
      const dy = Math.max(-MAX_STEP, Math.min(MAX_STEP, rhs[p + 2]!));
      s.x += dx;
      s.y += dy;
      if (Math.abs(dx) > SETTLE || Math.abs(dy) > SETTLE) settled = false;
      if (!(s.x >= win.x0 && s.y >= win.y0 && s.x <= win.x0 + win.side - 1 && s.y <= win.y0 + win.side - 1)) return undefined;
    }
    sky += rhs[params - 1]!;
    // Settled after the heights and the sky were solved once: χ² moves by far less than any test on it cares.
    if (settled && iteration > 0) return { stars, sky, chi2, pixels: groupEquations.pixels };
  }
}

/** The frozen stars' light over the window, into `frozenLight`. */
function frozenModel(win: FitWindow, sigma: number, stars: readonly GroupStar[]): void {
  const { side } = win;
  frozenLight.fill(0, 0, side * side);
  factors(win.x0, win.y0, side, sigma, stars);
  for (let j = 0; j < stars.length; j++) {
    const a = stars[j]!.amplitude;
    for (let v = 0; v < side; v++) {
      const c = a * gy[j * MAX_SIDE + v]!;
      for (let u = 0, g = j * MAX_SIDE, at = v * side; u < side; u++) frozenLight[at + u]! += c * gx[g + u]!;
    }
  }
}

/**
 * The heights of `stars` and a flat sky, their centres held where they are: linear least squares,
 * solved at once. The model being separable, each entry of the normal matrix is a product of a sum
 * along the window's columns and one along its rows (less the clipped pixels), and only the
 * right-hand side takes a pass over the pixels. The heights are written into `stars` (the fit's
 * own); χ² is not measured (NaN). Undefined when singular.
 */
export function fitHeights(win: FitWindow, sigma: number, stars: GroupStar[]): GroupFit | undefined {
  const { data, width, height, x0, y0, side, saturation } = win;
  const n = stars.length;
  if (side > MAX_SIDE || n < 1 || n > MAX_GROUP) return undefined;
  const params = n + 1;
  factors(x0, y0, side, sigma, stars);
  // The sky's factors are ones: stored as a star's after the last.
  gx.fill(1, n * MAX_SIDE, n * MAX_SIDE + side);
  gy.fill(1, n * MAX_SIDE, n * MAX_SIDE + side);
  const u0 = Math.max(0, -x0);
  const u1 = Math.min(side, width - x0);
  const v0 = Math.max(0, -y0);
  const v1 = Math.min(side, height - y0);
  rhs.fill(0, 0, params);
  for (let i = 0; i < params; i++) {
    for (let j = 0; j <= i; j++) {
      let cx = 0;
      let cy = 0;
      for (let u = u0; u < u1; u++) cx += gx[i * MAX_SIDE + u]! * gx[j * MAX_SIDE + u]!;
      for (let v = v0; v < v1; v++) cy += gy[i * MAX_SIDE + v]! * gy[j * MAX_SIDE + v]!;
      normal[i * params + j] = cx * cy;
    }
  }
  let pixels = 0;
  for (let v = v0; v < v1; v++) {
    const row = (y0 + v) * width + x0;
    for (let u = u0; u < u1; u++) {
      const value = data[row + u]!;
      if (value < saturation) {
        pixels++;
        rowValues[u] = value;
        continue;
      }
      rowValues[u] = 0;
      // A clipped pixel: its terms come off the normal matrix.
      for (let i = 0; i < params; i++) {
        const gi = gx[i * MAX_SIDE + u]! * gy[i * MAX_SIDE + v]!;
        for (let j = 0; j <= i; j++) normal[i * params + j]! -= gi * gx[j * MAX_SIDE + u]! * gy[j * MAX_SIDE + v]!;
      }
    }
    for (let i = 0; i < params; i++) {
      let sum = 0;
      for (let u = u0; u < u1; u++) sum += gx[i * MAX_SIDE + u]! * rowValues[u]!;
      rhs[i]! += gy[i * MAX_SIDE + v]! * sum;
    }
  }
  if (!solve(normal, rhs, params)) return undefined;
  for (let j = 0; j < n; j++) stars[j]!.amplitude = rhs[j]!;
  return { stars, sky: rhs[n]!, chi2: NaN, pixels };
}

/** Each star's Gaussian along the window's columns and rows (the model is separable). */
function factors(x0: number, y0: number, side: number, sigma: number, stars: readonly GroupStar[]): void {
  const k = -1 / (2 * sigma * sigma);
  for (let j = 0; j < stars.length; j++) {
    gaussianRun(gx, j * MAX_SIDE, x0, side, k, stars[j]!.x);
    gaussianRun(gy, j * MAX_SIDE, y0, side, k, stars[j]!.y);
  }
}

/**
 * What `fit` leaves unexplained over the window grown by a pixel on each side (row-major, its side
 * `win.side + 2`), into `out`, NaN off the image and at clipped pixels; returns its χ² over the
 * window itself.
 */
export function residuals(win: FitWindow, sigma: number, fit: GroupFit, out: Float64Array): number {
  const { data, width, height, saturation } = win;
  const x0 = win.x0 - 1;
  const y0 = win.y0 - 1;
  const side = win.side + 2;
  const n = fit.stars.length;
  factors(x0, y0, side, sigma, fit.stars);
  let chi2 = 0;
  for (let v = 0; v < side; v++) {
    const y = y0 + v;
    const at = v * side;
    // The model along the row, star by star (separable: a row factor times the column factors).
    out.fill(fit.sky, at, at + side);
    for (let j = 0; j < n; j++) {
      const c = fit.stars[j]!.amplitude * gy[j * MAX_SIDE + v]!;
      const g = j * MAX_SIDE;
      for (let u = 0; u < side; u++) out[at + u]! += c * gx[g + u]!;
    }
    const inner = v > 0 && v < side - 1;
    for (let u = 0; u < side; u++) {
      const x = x0 + u;
      const value = y >= 0 && x >= 0 && x < width && y < height ? data[y * width + x]! : saturation;
      if (value >= saturation) {
        out[at + u] = NaN;
        continue;
      }
      const r = value - out[at + u]!;
      out[at + u] = r;
      if (inner && u > 0 && u < side - 1) chi2 += r * r;
    }
  }
  return chi2;
}
