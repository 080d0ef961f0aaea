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
 * Convolves a width × height image with `kernel` along x, then along y; edge pixels repeat. Taps
 * outside, pixels inside: each pass is a few multiply-adds over whole rows, which the JIT keeps tight.
 */
export function smooth(src: Float32Array, width: number, height: number, kernel: Float32Array): Float32Array {
  if (kernel.length === 1) return src.slice();
  const radius = kernel.length >> 1;
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  const clampX = (x: number): number => (x < 0 ? 0 : x >= width ? width - 1 : x);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let k = 0; k < kernel.length; k++) {
      const weight = kernel[k]!;
      const shift = k - radius;
      const x0 = Math.max(0, -shift);
      const x1 = Math.min(width, width - shift);
      for (let x = 0; x < x0; x++) tmp[row + x]! += weight * src[row + clampX(x + shift)]!;
      for (let x = x0, p = row + x0, q = row + x0 + shift; x < x1; x++, p++, q++) tmp[p]! += weight * src[q]!;
      for (let x = Math.max(x0, x1); x < width; x++) tmp[row + x]! += weight * src[row + clampX(x + shift)]!;
    }
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let k = 0; k < kernel.length; k++) {
      const weight = kernel[k]!;
      const from = Math.min(height - 1, Math.max(0, y + k - radius)) * width;
      for (let x = 0; x < width; x++) out[row + x]! += weight * tmp[from + x]!;
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
