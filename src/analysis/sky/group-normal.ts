/**
 * The normal equations of group-fit.ts's Gauss–Newton steps: a few round Gaussians (height and
 * centre each) and a flat sky, over a window where the other stars' light is frozen. As in
 * psf-normal.ts, the model is separable (star i's light is a_i · R_i(row) · G_i(column)), so every
 * entry is a row factor times a sum along the row of column factors alone, taken once per call
 * (less the clipped pixels of a row); per pixel only the sums with the residual are taken.
 */
import { gaussianRun } from './gaussian-run.js';
import type { FitWindow, FittedStar } from './psf-fit.js';
import { MAX_SIDE } from './psf-normal.js';

/** The most stars one step fits. */
export const MAX_FITTED = 4;
const MAX_PARAMS = 3 * MAX_FITTED + 1;
const K = MAX_FITTED;

/** The normal matrix (lower triangle, row-major, params × params), the right-hand side, and the pixels summed: reused. */
export const groupEquations = { normal: new Float64Array(MAX_PARAMS * MAX_PARAMS), rhs: new Float64Array(MAX_PARAMS), pixels: 0 };
const { normal, rhs } = groupEquations;

// Per star: its Gaussian along the columns (G) and rows (R), and D = (x − x̄)/σ² per column.
const gx = new Float64Array(K * MAX_SIDE);
const gy = new Float64Array(K * MAX_SIDE);
const dx = new Float64Array(K * MAX_SIDE);
// Column sums over the window (c…) and over a row's unclipped pixels (r…): Σ G_i, Σ G_i D_i, and
// per pair Σ G_i G_j, Σ G_i G_j D_i (at [i·K + j]), Σ G_i G_j D_i D_j.
const cG = new Float64Array(K);
const cGD = new Float64Array(K);
const cGG = new Float64Array(K * K);
const cGGD = new Float64Array(K * K);
const cGGDD = new Float64Array(K * K);
const rG = new Float64Array(K);
const rGD = new Float64Array(K);
const rGG = new Float64Array(K * K);
const rGGD = new Float64Array(K * K);
const rGGDD = new Float64Array(K * K);
// Per row: Σ G_i r and Σ G_i D_i r.
const sGr = new Float64Array(K);
const sGDr = new Float64Array(K);

/** Adds (sign +1) or takes off (−1) one column's terms to the sums `g…`. */
function addColumn(k: number, u: number, sign: number, g: Float64Array, gd: Float64Array, gg: Float64Array, ggd: Float64Array, ggdd: Float64Array): void {
  for (let i = 0; i < k; i++) {
    const Gi = gx[i * MAX_SIDE + u]!;
    const Di = dx[i * MAX_SIDE + u]!;
    g[i]! += sign * Gi;
    gd[i]! += sign * Gi * Di;
    for (let j = 0; j < k; j++) {
      const p = sign * Gi * gx[j * MAX_SIDE + u]!;
      gg[i * K + j]! += p;
      ggd[i * K + j]! += p * Di;
      ggdd[i * K + j]! += p * Di * dx[j * MAX_SIDE + u]!;
    }
  }
}

/**
 * Builds the normal equations (into `groupEquations`) for `stars` (at most MAX_FITTED; the
 * parameters a, x, y per star, then the sky) at the current parameters, with `frozen` (row-major,
 * the window's side) the other stars' light; returns χ².
 */
export function accumulateGroup(win: FitWindow, sigma: number, stars: readonly FittedStar[], sky: number, frozen: Float64Array): number {
  const { data, width, height, x0, y0, side, saturation } = win;
  const k = stars.length;
  const params = 3 * k + 1;
  const inv2 = 1 / (sigma * sigma);
  const u0 = Math.max(0, -x0);
  const u1 = Math.min(side, width - x0);
  for (let i = 0; i < k; i++) {
    const s = stars[i]!;
    gaussianRun(gx, i * MAX_SIDE, x0, side, -inv2 / 2, s.x);
    gaussianRun(gy, i * MAX_SIDE, y0, side, -inv2 / 2, s.y);
    for (let u = u0; u < u1; u++) dx[i * MAX_SIDE + u] = (x0 + u - s.x) * inv2;
  }
  cG.fill(0);
  cGD.fill(0);
  cGG.fill(0);
  cGGD.fill(0);
  cGGDD.fill(0);
  for (let u = u0; u < u1; u++) addColumn(k, u, 1, cG, cGD, cGG, cGGD, cGGDD);
  normal.fill(0, 0, params * params);
  rhs.fill(0, 0, params);
  let chi2 = 0;
  let count = 0;
  let sr = 0;
  for (let v = 0; v < side; v++) {
    const y = y0 + v;
    if (y < 0 || y >= height) continue;
    rG.set(cG);
    rGD.set(cGD);
    rGG.set(cGG);
    rGGD.set(cGGD);
    rGGDD.set(cGGDD);
    sGr.fill(0);
    sGDr.fill(0);
    let n = u1 - u0;
    for (let u = u0, p = y * width + x0 + u0; u < u1; u++, p++) {
      const value = data[p]!;
      if (value >= saturation) {
        addColumn(k, u, -1, rG, rGD, rGG, rGGD, rGGDD);
        n--;
        continue;
      }
      let model = sky + frozen[v * side + u]!;
      for (let i = 0; i < k; i++) model += stars[i]!.amplitude * gy[i * MAX_SIDE + v]! * gx[i * MAX_SIDE + u]!;
      const r = value - model;
      chi2 += r * r;
      sr += r;
      for (let i = 0; i < k; i++) {
        const Gr = gx[i * MAX_SIDE + u]! * r;
        sGr[i]! += Gr;
        sGDr[i]! += Gr * dx[i * MAX_SIDE + u]!;
      }
    }
    count += n;
    assembleRow(k, params, v, y, stars, inv2);
  }
  const sky0 = 3 * k;
  normal[sky0 * params + sky0] = count;
  rhs[sky0] = sr;
  groupEquations.pixels = count;
  return chi2;
}

/** Adds row `v`'s terms to the normal equations (entry (p, q), p ≥ q, at p · params + q). */
function assembleRow(k: number, params: number, v: number, y: number, stars: readonly FittedStar[], inv2: number): void {
  const sky = 3 * k;
  for (let j = 0; j < k; j++) {
    const aj = stars[j]!.amplitude;
    const Rj = gy[j * MAX_SIDE + v]!;
    const Ej = (y - stars[j]!.y) * inv2;
    for (let i = 0; i <= j; i++) {
      const ai = stars[i]!.amplitude;
      const Ri = gy[i * MAX_SIDE + v]!;
      const Ei = (y - stars[i]!.y) * inv2;
      const RR = Ri * Rj;
      const gg = rGG[i * K + j]! * RR;
      const gdi = rGGD[i * K + j]! * RR; // Σ G_i G_j D_i
      const gdj = rGGD[j * K + i]! * RR; // Σ G_i G_j D_j
      const gdd = rGGDD[i * K + j]! * RR;
      const aj0 = 3 * j * params;
      const xj0 = aj0 + params;
      const yj0 = xj0 + params;
      const ai0 = 3 * i;
      if (i === j) {
        normal[aj0 + ai0]! += gg;
        normal[xj0 + ai0]! += ai * gdi;
        normal[xj0 + ai0 + 1]! += ai * ai * gdd;
        normal[yj0 + ai0]! += ai * Ei * gg;
        normal[yj0 + ai0 + 1]! += ai * ai * Ei * gdi;
        normal[yj0 + ai0 + 2]! += ai * ai * Ei * Ei * gg;
      } else {
        normal[aj0 + ai0]! += gg;
        normal[xj0 + ai0]! += aj * gdj;
        normal[yj0 + ai0]! += aj * Ej * gg;
        normal[aj0 + ai0 + 1]! += ai * gdi;
        normal[xj0 + ai0 + 1]! += ai * aj * gdd;
        normal[yj0 + ai0 + 1]! += ai * aj * Ej * gdi;
        normal[aj0 + ai0 + 2]! += ai * Ei * gg;
        normal[xj0 + ai0 + 2]! += ai * aj * Ei * gdj;
        normal[yj0 + ai0 + 2]! += ai * aj * Ei * Ej * gg;
      }
    }
    const s0 = sky * params + 3 * j;
    normal[s0]! += Rj * rG[j]!;
    normal[s0 + 1]! += aj * Rj * rGD[j]!;
    normal[s0 + 2]! += aj * Ej * Rj * rG[j]!;
    rhs[3 * j]! += Rj * sGr[j]!;
    rhs[3 * j + 1]! += aj * Rj * sGDr[j]!;
    rhs[3 * j + 2]! += aj * Ej * Rj * sGr[j]!;
  }
}
