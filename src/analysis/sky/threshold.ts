/**
 * Detection: the image minus its sky, smoothed with a small Gaussian (a filter matched to a star,
 * which lifts a faint star above the noise more than it lifts the noise), then every pixel whose
 * smoothed value stands k·σ above the sky, σ being the smoothed image's own noise there.
 */

/** A normalised Gaussian kernel of `sigma`, out to 2.5σ (at least one tap either side). */
export function gaussianKernel(sigma: number): Float32Array {
  if (sigma <= 0) return Float32Array.of(1);
  const radius = Math.max(1, Math.ceil(2.5 * sigma));
  const taps = Float64Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const sum = taps.reduce((a, b) => a + b, 0);
  return Float32Array.from(taps, (t) => t / sum);
}

/**
 * Convolves a width × height image with `kernel` along x, then along y (edge pixels repeat), and
 * writes the result at `pixels` only (into `out`; elsewhere `out` is left as it was): a blend's
 * deblender reads its own pixels, a fraction of its frame. `tmp` holds the rows smoothed along x.
 * Each output is summed tap by tap in float32, as a whole-frame pass stores it.
 */
export function smoothAt(
  src: Float32Array,
  width: number,
  height: number,
  kernel: Float32Array,
  pixels: ArrayLike<number>,
  out: Float32Array,
  tmp = new Float32Array(src.length),
): void {
  const radius = kernel.length >> 1;
  if (pixels.length === 0) return;
  // Only the rows and columns the pixels' column sums reach are smoothed along x.
  let top = height;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let i = 0; i < pixels.length; i++) {
    const p = pixels[i]!;
    const x = p % width;
    const y = (p - x) / width;
    if (y < top) top = y;
    if (y > bottom) bottom = y;
    if (x < left) left = x;
    if (x > right) right = x;
  }
  const y0 = Math.max(0, top - radius);
  const y1 = Math.min(height - 1, bottom + radius);
  const taps = kernel.length;
  for (let y = y0; y <= y1; y++) {
    const row = y * width;
    for (let x = left; x <= right; x++) {
      let sum = 0;
      if (x >= radius && x + radius < width) {
        // Clear of the edges (most pixels): no clamping.
        for (let k = 0, q = row + x - radius; k < taps; k++, q++) sum = Math.fround(sum + kernel[k]! * src[q]!);
      } else {
        for (let k = 0; k < taps; k++) {
          const u = x + k - radius;
          sum = Math.fround(sum + kernel[k]! * src[row + (u < 0 ? 0 : u >= width ? width - 1 : u)]!);
        }
      }
      tmp[row + x] = sum;
    }
  }
  for (let i = 0; i < pixels.length; i++) {
    const p = pixels[i]!;
    const x = p % width;
    const y = (p - x) / width;
    let sum = 0;
    if (y >= radius && y + radius < height) {
      for (let k = 0, q = p - radius * width; k < taps; k++, q += width) sum = Math.fround(sum + kernel[k]! * tmp[q]!);
    } else {
      for (let k = 0; k < taps; k++) {
        const v = y + k - radius;
        sum = Math.fround(sum + kernel[k]! * tmp[(v < 0 ? 0 : v >= height ? height - 1 : v) * width + x]!);
      }
    }
    out[p] = sum;
  }
}

/** The 3σ-clipped standard deviation of `values` (stars and their wings drop out). */
export function clippedSigma(values: Float32Array | readonly number[]): number {
  let lo = -Infinity;
  let hi = Infinity;
  let sd = 0;
  for (let iteration = 0; iteration < 10; iteration++) {
    let n = 0;
    let sum = 0;
    let sum2 = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < lo || v > hi) continue;
      n++;
      sum += v;
      sum2 += v * v;
    }
    if (n === 0) return sd;
    const mean = sum / n;
    sd = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
    lo = mean - 3 * sd;
    hi = mean + 3 * sd;
  }
  return sd;
}
