/**
 * Fitting stars with the image's PSF: one or two round Gaussians of a known σ and a flat sky, by
 * Gauss–Newton least squares on a square window of the raw image (as DAOPHOT and SEP's PSF
 * photometry do). For a faint star the fitted centre is closer to the truth than windowed moments;
 * two stars closer than the deblender can separate are told apart by how much better two
 * Gaussians explain the window than one (the drop in χ², in units of the noise).
 */
import { accumulate, equations, MAX_SIDE } from './psf-normal.js';

/** One fitted Gaussian: its height above the sky and its centre (image pixels). */
export interface FittedStar {
  amplitude: number;
  x: number;
  y: number;
}

export interface PsfFit {
  stars: FittedStar[];
  /** The flat sky under them. */
  sky: number;
  /** Σ (pixel − model)² over the window (grey levels²). */
  chi2: number;
  /** Pixels fitted (the window's, less those off the image or clipped). */
  pixels: number;
}

/** The pixels a fit sees: a square window of the raw 8-bit image. */
export interface FitWindow {
  data: Uint8Array;
  width: number;
  height: number;
  /** Window's first column and row, and its side. */
  x0: number;
  y0: number;
  side: number;
  /** Pixels at or above this grey level are clipped: left out. */
  saturation: number;
}

const ITERATIONS = 8;
/** Largest step of a centre per iteration (px): Gauss–Newton overshoots far from the minimum. */
const MAX_STEP = 1;
/** A fit has settled when no centre moves more than this (px). */
const SETTLE = 0.01;

const { normal, rhs } = equations;

/**
 * A fit that must be going somewhere: once `steps` steps are taken, its χ² must have fallen below
 * `chi2`, or it is given up (undefined). A fit that only a low enough χ² makes worth having stops
 * there: most two-Gaussian fits of a single star are still far from the needed drop after three
 * steps, and a real pair almost always already past half of it.
 */
export interface FitProgress {
  steps: number;
  chi2: number;
}

/**
 * Fits `start.length` (1 or 2) Gaussians of `sigma` and a flat sky to the window, from `start`.
 * Undefined when the window is too large or the fit breaks down (a singular system, a centre
 * leaving the window), or does not make `progress`.
 */
export function fitGaussians(win: FitWindow, sigma: number, start: readonly FittedStar[], sky0 = 0, progress?: FitProgress): PsfFit | undefined {
  const { side, x0, y0 } = win;
  if (side > MAX_SIDE || start.length < 1 || start.length > 2) return undefined;
  const n = start.length;
  const params = 3 * n + 1; // (a, x, y) per star, then the sky
  const stars = start.map((s) => ({ ...s }));
  let sky = sky0;
  const k = -1 / (2 * sigma * sigma);
  for (let iteration = 0; iteration <= ITERATIONS; iteration++) {
    const chi2 = accumulate(win, stars, sky, k, sigma);
    if (iteration === ITERATIONS) return { stars, sky, chi2, pixels: equations.pixels };
    if (progress && iteration === progress.steps && !(chi2 < progress.chi2)) return undefined;
    if (!solve(normal, rhs, params)) return undefined;
    let settled = true;
    for (let j = 0; j < n; j++) {
      const s = stars[j]!;
      const dx = Math.max(-MAX_STEP, Math.min(MAX_STEP, rhs[3 * j + 1]!));
      const dy = Math.max(-MAX_STEP, Math.min(MAX_STEP, rhs[3 * j + 2]!));
      s.amplitude += rhs[3 * j]!;
      s.x += dx;
      s.y += dy;
      if (Math.abs(dx) > SETTLE || Math.abs(dy) > SETTLE) settled = false;
      if (!(s.x >= x0 && s.y >= y0 && s.x <= x0 + side - 1 && s.y <= y0 + side - 1)) return undefined;
    }
    sky += rhs[params - 1]!;
    // A step this small, after the heights and the sky were solved once, changes χ² by far less
    // than the tests on it care about: not measured again.
    if (settled && iteration > 0) return { stars, sky, chi2, pixels: equations.pixels };
  }
  return undefined;
}

/** Solves the symmetric system `m` (n × n, its lower triangle read) in place (Cholesky); the solution replaces `b`. False if singular. */
export function solve(m: Float64Array, b: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= m[i * n + k]! * m[j * n + k]!;
      if (i === j) {
        if (!(sum > 1e-12)) return false;
        m[i * n + i] = Math.sqrt(sum);
      } else {
        m[i * n + j] = sum / m[j * n + j]!;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= m[i * n + k]! * b[k]!;
    b[i] = sum / m[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = b[i]!;
    for (let k = i + 1; k < n; k++) sum -= m[k * n + i]! * b[k]!;
    b[i] = sum / m[i * n + i]!;
  }
  return true;
}
