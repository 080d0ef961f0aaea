/**
 * Detection: the image minus its sky, smoothed with a small Gaussian (a filter matched to a star,
 * which lifts a faint star above the noise more than it lifts the noise), then every pixel whose
 * smoothed value stands k·σ above the sky, σ being the smoothed image's own noise there.
 */

/** A normalised Gaussian kernel of `sigma`, out to 3σ (at least the centre tap). */
export function gaussianKernel(sigma: number): Float32Array {
  if (sigma <= 0) return Float32Array.of(1);
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const taps = Float64Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const sum = taps.reduce((a, b) => a + b, 0);
  return Float32Array.from(taps, (t) => t / sum);
}

/** Convolves a width × height image with `kernel` along x, then along y; edge pixels repeat. */
export function smooth(src: Float32Array, width: number, height: number, kernel: Float32Array): Float32Array {
  if (kernel.length === 1) return src.slice();
  const radius = kernel.length >> 1;
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      if (x >= radius && x < width - radius) {
        for (let k = 0, p = row + x - radius; k < kernel.length; k++, p++) sum += kernel[k]! * src[p]!;
      } else {
        for (let k = 0; k < kernel.length; k++) sum += kernel[k]! * src[row + Math.min(width - 1, Math.max(0, x + k - radius))]!;
      }
      tmp[row + x] = sum;
    }
  }
  for (let y = 0; y < height; y++) {
    const inside = y >= radius && y < height - radius;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      if (inside) {
        for (let k = 0, p = (y - radius) * width + x; k < kernel.length; k++, p += width) sum += kernel[k]! * tmp[p]!;
      } else {
        for (let k = 0; k < kernel.length; k++) sum += kernel[k]! * tmp[Math.min(height - 1, Math.max(0, y + k - radius)) * width + x]!;
      }
      out[y * width + x] = sum;
    }
  }
  return out;
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
    for (const v of values) {
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

/**
 * How much smoothing lowered the noise: the clipped σ of the smoothed image over that of the raw
 * one, both in units of the local σ, on a sample of pixels. Measured rather than computed from the
 * kernel, since JPEG and resampling leave real images' noise correlated.
 */
export function smoothedNoiseRatio(raw: Float32Array, smoothed: Float32Array, sigma: Float32Array, step = 7): number {
  const n = Math.ceil(raw.length / step);
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let p = 0, i = 0; p < raw.length; p += step, i++) {
    a[i] = raw[p]! / sigma[p]!;
    b[i] = smoothed[p]! / sigma[p]!;
  }
  const sa = clippedSigma(a);
  return sa > 0 ? clippedSigma(b) / sa : 1;
}

/** 1 where the smoothed image stands more than k · ratio · σ above the sky, else 0. */
export function thresholdMask(smoothed: Float32Array, sigma: Float32Array, k: number): Uint8Array {
  const mask = new Uint8Array(smoothed.length);
  for (let p = 0; p < smoothed.length; p++) mask[p] = smoothed[p]! > k * sigma[p]! ? 1 : 0;
  return mask;
}
