/**
 * The normal equations of psf-fit.ts's Gauss–Newton steps, for one or two round Gaussians and a
 * flat sky, summed over the window's pixels: where a fit's time goes, so written out sum by sum
 * and, the model being separable, row by row.
 */
import { gaussianRun } from './gaussian-run.js';
import type { FitWindow, FittedStar } from './psf-fit.js';

/** The largest window side a fit takes (its scratch is this wide). */
export const MAX_SIDE = 64;

/** The normal matrix (row-major, 4×4 or 7×7), the right-hand side, and the pixels summed: reused from fit to fit. */
export const equations = { normal: new Float64Array(49), rhs: new Float64Array(7), pixels: 0 };
const { normal, rhs } = equations;

// Scratch, reused from fit to fit (a fit is a few hundred pixels; no allocation per star).
const gx = new Float64Array(2 * MAX_SIDE);
const gy = new Float64Array(2 * MAX_SIDE);
const columnD = new Float64Array(MAX_SIDE);
const columnGD = new Float64Array(MAX_SIDE);

/** Builds the normal equations (into `equations`) at the current parameters; returns χ². */
export function accumulate(win: FitWindow, stars: FittedStar[], sky: number, k: number, sigma: number): number {
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
  equations.pixels = count;
  return chi2;
}

/**
 * The sums over a window's columns of the two stars' column factors alone (G = gx, D = (x − x̄)/σ²
 * per star), into `out` (`sign` -1 takes a column's pixel off): Σ G1, G1², G1²D1, G1²D1², G1D1, the
 * same for star 2, then G1G2, G1G2D1, G1G2D2, G1G2D1D2.
 */
function addColumnTwo(out: Float64Array, G1: number, D1: number, G2: number, D2: number, sign: number): void {
  const g11 = sign * G1 * G1;
  const g22 = sign * G2 * G2;
  const g12 = sign * G1 * G2;
  out[0]! += sign * G1;
  out[1]! += g11;
  out[2]! += g11 * D1;
  out[3]! += g11 * D1 * D1;
  out[4]! += sign * G1 * D1;
  out[5]! += sign * G2;
  out[6]! += g22;
  out[7]! += g22 * D2;
  out[8]! += g22 * D2 * D2;
  out[9]! += sign * G2 * D2;
  out[10]! += g12;
  out[11]! += g12 * D1;
  out[12]! += g12 * D2;
  out[13]! += g12 * D1 * D2;
}

const columnSums = new Float64Array(14);
const rowSums = new Float64Array(14);
const columnD2 = new Float64Array(MAX_SIDE);
const columnGD2 = new Float64Array(MAX_SIDE);

/**
 * The normal equations for two stars, as accumulateOne's: each of the 35 sums is a row factor times
 * sums along the row, of the column factors alone (taken once per call) or with the residual (six,
 * per pixel).
 */
function accumulateTwo(win: FitWindow, s: FittedStar, t: FittedStar, sky: number, inv2: number): number {
  const { data, width, height, x0, y0, side, saturation } = win;
  const a = s.amplitude;
  const b = t.amplitude;
  const u0 = Math.max(0, -x0);
  const u1 = Math.min(side, width - x0);
  columnSums.fill(0);
  for (let u = u0; u < u1; u++) {
    const D1 = (x0 + u - s.x) * inv2;
    const D2 = (x0 + u - t.x) * inv2;
    columnD[u] = D1;
    columnD2[u] = D2;
    columnGD[u] = gx[u]! * D1;
    columnGD2[u] = gx[MAX_SIDE + u]! * D2;
    addColumnTwo(columnSums, gx[u]!, D1, gx[MAX_SIDE + u]!, D2, 1);
  }
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
  for (let v = 0; v < side; v++) {
    const y = y0 + v;
    if (y < 0 || y >= height) continue;
    const R1 = gy[v]!;
    const R2 = gy[MAX_SIDE + v]!;
    const dy1 = (y - s.y) * inv2;
    const dy2 = (y - t.y) * inv2;
    const a1 = a * R1;
    const a2 = b * R2;
    rowSums.set(columnSums);
    let n = u1 - u0;
    let sr = 0, sr2 = 0, s1r = 0, s1dr = 0, s2r = 0, s2dr = 0;
    for (let u = u0, p = y * width + x0 + u0; u < u1; u++, p++) {
      const value = data[p]!;
      const G1 = gx[u]!;
      const G2 = gx[MAX_SIDE + u]!;
      if (value >= saturation) {
        addColumnTwo(rowSums, G1, columnD[u]!, G2, columnD2[u]!, -1);
        n--;
        continue;
      }
      const r = value - sky - a1 * G1 - a2 * G2;
      sr += r;
      sr2 += r * r;
      s1r += G1 * r;
      s1dr += columnGD[u]! * r;
      s2r += G2 * r;
      s2dr += columnGD2[u]! * r;
    }
    const A1 = rowSums[0]!, A2 = rowSums[1]!, A3 = rowSums[2]!, A4 = rowSums[3]!, A5 = rowSums[4]!;
    const B1 = rowSums[5]!, B2 = rowSums[6]!, B3 = rowSums[7]!, B4 = rowSums[8]!, B5 = rowSums[9]!;
    const C1 = rowSums[10]!, C2 = rowSums[11]!, C3 = rowSums[12]!, C4 = rowSums[13]!;
    const R11 = R1 * R1;
    const R22 = R2 * R2;
    const R12 = R1 * R2;
    count += n;
    chi2 += sr2;
    n11 += R11 * A2; n12 += a * R11 * A3; n13 += a * dy1 * R11 * A2;
    n14 += R12 * C1; n15 += b * R12 * C3; n16 += b * dy2 * R12 * C1; n17 += R1 * A1;
    n22 += a * a * R11 * A4; n23 += a * a * dy1 * R11 * A3; n24 += a * R12 * C2;
    n25 += a * b * R12 * C4; n26 += a * b * dy2 * R12 * C2; n27 += a1 * A5;
    n33 += a * a * dy1 * dy1 * R11 * A2; n34 += a * dy1 * R12 * C1; n35 += a * b * dy1 * R12 * C3;
    n36 += a * b * dy1 * dy2 * R12 * C1; n37 += a1 * dy1 * A1;
    n44 += R22 * B2; n45 += b * R22 * B3; n46 += b * dy2 * R22 * B2; n47 += R2 * B1;
    n55 += b * b * R22 * B4; n56 += b * b * dy2 * R22 * B3; n57 += a2 * B5;
    n66 += b * b * dy2 * dy2 * R22 * B2; n67 += a2 * dy2 * B1;
    r1 += R1 * s1r; r2 += a1 * s1dr; r3 += a1 * dy1 * s1r;
    r4 += R2 * s2r; r5 += a2 * s2dr; r6 += a2 * dy2 * s2r; r7 += sr;
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
  equations.pixels = count;
  return chi2;
}
