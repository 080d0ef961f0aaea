/**
 * A row of samples of a Gaussian, the way the moments window and the PSF fit need them: one per
 * pixel along x or y. Successive samples' ratios are themselves in a constant ratio, exp(2k), so
 * three exp() make the whole row (an exp() costs about ten multiplications).
 */

/**
 * out[offset + i] = exp(k · (start + i − centre)²) for i < count, by recurrence: within 2e-13 of
 * each sample's exp(), relatively, over rows of up to 64 samples (the error grows along the row).
 * For windows out to a few σ: far enough out, the ratios would overflow.
 */
export function gaussianRun(out: Float64Array, offset: number, start: number, count: number, k: number, centre: number): void {
  const t = start - centre;
  let g = Math.exp(k * t * t);
  let ratio = Math.exp(k * (2 * t + 1));
  const step = Math.exp(2 * k);
  for (let i = 0; i < count; i++) {
    out[offset + i] = g;
    g *= ratio;
    ratio *= step;
  }
}
