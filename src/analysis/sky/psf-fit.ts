/**
 * Fitting stars with the image's PSF: one or two round Gaussians of a known σ and a flat sky, by
 * Gauss–Newton least squares on a square window of the raw image (as DAOPHOT and SEP's PSF
 * photometry do). For a faint star the fitted centre is closer to the truth than windowed moments;
 * two stars closer than the deblender can separate are told apart by how much better two
 * Gaussians explain the window than one (the drop in χ², in units of the noise).
 */
import { gaussianRun } from './gaussian-run.js';

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

// Scratch, reused from fit to fit (a fit is a few hundred pixels; no allocation per star).
const MAX_SIDE = 64;
const gx = new Float64Array(2 * MAX_SIDE);
const gy = new Float64Array(2 * MAX_SIDE);
const normal = new Float64Array(49);
const rhs = new Float64Array(7);
const columnD = new Float64Array(MAX_SIDE);
const columnGD = new Float64Array(MAX_SIDE);
let pixelCount = 0;

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
    if (iteration === ITERATIONS) return { stars, sky, chi2, pixels: pixelCount };
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
    if (settled && iteration > 0) return { stars, sky, chi2, pixels: pixelCount };
  }
  return undefined;
}

/** Builds the normal equations (into `normal`, `rhs`) at the current parameters; returns χ². */
function accumulate(win: FitWindow, stars: FittedStar[], sky: number, k: number, sigma: number): number {
  const { x0, y0, side } = win;
  const n = stars.length;
  const inv2 = 1 / (sigma * sigma);
  // The Gaussians are separable: one row and one column of factors per star.
  for (let j = 0; j < n; j++) {
    const s = stars[j]!;
    gaussianRun(gx, j * MAX_SIDE, x0, side, k, s.x);
    gaussianRun(gy, j * MAX_SIDE, y0, side, k, s.y);
  }
  return n === 1 ? accumulateOne(win, stars[0]!, sky, inv2) : accumulateTwo(win, stars[0]!, stars[1]!, sky, inv2);
}

/**
 * The normal equations for one star, written out: every star's centre is fitted, so this is where
 * the time goes. The model is separable (g = gx(u) · gy(v)), so each sum is a row factor times a sum
 * along the row: the sums of the column factors alone are taken once per call (less the clipped
 * pixels of a row), and per pixel only those with the residual r.
 */
function accumulateOne(win: FitWindow, s: FittedStar, sky: number, inv2: number): number {
  const { data, width, height, x0, y0, side, saturation } = win;
  const a = s.amplitude;
  const u0 = Math.max(0, -x0);
  const u1 = Math.min(side, width - x0);
  // Per column: G = gx, D = ∂/∂x of the exponent's factor (x − x̄)/σ²; the window's sums of G, G², G²D, G²D², GD.
  let cG = 0, cG2 = 0, cG2D = 0, cG2D2 = 0, cGD = 0;
  for (let u = u0; u < u1; u++) {
    const G = gx[u]!;
    const D = (x0 + u - s.x) * inv2;
    columnD[u] = D;
    columnGD[u] = G * D;
    cG += G;
    cG2 += G * G;
    cG2D += G * G * D;
    cG2D2 += G * G * D * D;
    cGD += G * D;
  }
  let chi2 = 0;
  let count = 0;
  let aa = 0, ax = 0, ay = 0, as = 0, xx = 0, xy = 0, xs = 0, yy = 0, ys = 0;
  let ra = 0, rx = 0, ry = 0, rs = 0;
  for (let v = 0; v < side; v++) {
    const y = y0 + v;
    if (y < 0 || y >= height) continue;
    const rowG = gy[v]!;
    const dy = (y - s.y) * inv2;
    const ar = a * rowG;
    let sG = cG, sG2 = cG2, sG2D = cG2D, sG2D2 = cG2D2, sGD = cGD;
    let n = u1 - u0;
    let sGr = 0, sGDr = 0, sr = 0, sr2 = 0;
    for (let u = u0, p = y * width + x0 + u0; u < u1; u++, p++) {
      const value = data[p]!;
      const G = gx[u]!;
      if (value >= saturation) {
        const D = columnD[u]!;
        sG -= G;
        sG2 -= G * G;
        sG2D -= G * G * D;
        sG2D2 -= G * G * D * D;
        sGD -= G * D;
        n--;
        continue;
      }
      const r = value - sky - ar * G;
      sr += r;
      sr2 += r * r;
      sGr += G * r;
      sGDr += columnGD[u]! * r;
    }
    // g = rowG·G, gX = a·rowG·G·D, gY = a·rowG·G·dy: their products, row by row.
    const rg2 = rowG * rowG;
    count += n;
    chi2 += sr2;
    aa += rg2 * sG2;
    ax += a * rg2 * sG2D;
    ay += a * dy * rg2 * sG2;
    as += rowG * sG;
    xx += a * a * rg2 * sG2D2;
    xy += a * a * dy * rg2 * sG2D;
    xs += ar * sGD;
    yy += a * a * dy * dy * rg2 * sG2;
    ys += ar * dy * sG;
    ra += rowG * sGr;
    rx += ar * sGDr;
    ry += ar * dy * sGr;
    rs += sr;
  }
  normal.set([aa, ax, ay, as, ax, xx, xy, xs, ay, xy, yy, ys, as, xs, ys, count]);
  rhs.set([ra, rx, ry, rs]);
  pixelCount = count;
  return chi2;
}

/**
 * The normal equations for two stars, written out as accumulateOne's: through arrays, their 35 sums
 * per pixel were a third of the detector's time.
 */
function accumulateTwo(win: FitWindow, s: FittedStar, t: FittedStar, sky: number, inv2: number): number {
  const { data, width, height, x0, y0, side, saturation } = win;
  let chi2 = 0;
  let count = 0;
  // Gradient order: a1 x1 y1 a2 x2 y2 sky; nAB is the normal matrix's entry (A, B), rA the rhs.
  let n11 = 0, n12 = 0, n13 = 0, n14 = 0, n15 = 0, n16 = 0, n17 = 0;
  let n22 = 0, n23 = 0, n24 = 0, n25 = 0, n26 = 0, n27 = 0;
  let n33 = 0, n34 = 0, n35 = 0, n36 = 0, n37 = 0;
  let n44 = 0, n45 = 0, n46 = 0, n47 = 0;
  let n55 = 0, n56 = 0, n57 = 0;
  let n66 = 0, n67 = 0;
  let r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0, r6 = 0, r7 = 0;
  const a = s.amplitude;
  const b = t.amplitude;
  for (let v = 0; v < side; v++) {
    const y = y0 + v;
    if (y < 0 || y >= height) continue;
    const rowS = gy[v]!;
    const rowT = gy[MAX_SIDE + v]!;
    const dyS = (y - s.y) * inv2;
    const dyT = (y - t.y) * inv2;
    for (let u = 0; u < side; u++) {
      const x = x0 + u;
      if (x < 0 || x >= width) continue;
      const value = data[y * width + x]!;
      if (value >= saturation) continue;
      const g1 = gx[u]! * rowS;
      const ag1 = a * g1;
      const g2 = ag1 * (x - s.x) * inv2;
      const g3 = ag1 * dyS;
      const g4 = gx[MAX_SIDE + u]! * rowT;
      const ag4 = b * g4;
      const g5 = ag4 * (x - t.x) * inv2;
      const g6 = ag4 * dyT;
      const r = value - sky - ag1 - ag4;
      count++;
      chi2 += r * r;
      n11 += g1 * g1; n12 += g1 * g2; n13 += g1 * g3; n14 += g1 * g4; n15 += g1 * g5; n16 += g1 * g6; n17 += g1;
      n22 += g2 * g2; n23 += g2 * g3; n24 += g2 * g4; n25 += g2 * g5; n26 += g2 * g6; n27 += g2;
      n33 += g3 * g3; n34 += g3 * g4; n35 += g3 * g5; n36 += g3 * g6; n37 += g3;
      n44 += g4 * g4; n45 += g4 * g5; n46 += g4 * g6; n47 += g4;
      n55 += g5 * g5; n56 += g5 * g6; n57 += g5;
      n66 += g6 * g6; n67 += g6;
      r1 += g1 * r; r2 += g2 * r; r3 += g3 * r; r4 += g4 * r; r5 += g5 * r; r6 += g6 * r; r7 += r;
    }
  }
  normal.set([
    n11, n12, n13, n14, n15, n16, n17,
    n12, n22, n23, n24, n25, n26, n27,
    n13, n23, n33, n34, n35, n36, n37,
    n14, n24, n34, n44, n45, n46, n47,
    n15, n25, n35, n45, n55, n56, n57,
    n16, n26, n36, n46, n56, n66, n67,
    n17, n27, n37, n47, n57, n67, count,
  ]);
  rhs.set([r1, r2, r3, r4, r5, r6, r7]);
  pixelCount = count;
  return chi2;
}

/** Solves the symmetric system in place (Cholesky); the solution replaces `b`. False if singular. */
function solve(m: Float64Array, b: Float64Array, n: number): boolean {
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
