/**
 * Measuring a star: its centre by adaptive Gaussian-weighted moments (SExtractor's XWIN, with the
 * window matched to the star as in HSM's adaptive moments: the optimal centroid for a Gaussian star
 * in white noise), its width, shape, flux, peak and whether it is saturated. Light in the window
 * that belongs to another star is replaced by the light at the mirror pixel across the centre
 * (SExtractor's symmetric cleaning), so a neighbour does not pull the centre towards it.
 */
import { gaussianRun } from './gaussian-run.js';

/** What the measurement sees: the image minus the sky, the raw grey levels, and who owns each pixel. */
export interface MeasureContext {
  residual: Float32Array;
  data: Uint8Array;
  /** The star each pixel belongs to, -1 for none. */
  owner: Int32Array;
  /** Noise σ of `residual` at every pixel. */
  noise: Float32Array;
  width: number;
  height: number;
  /** Grey level at which a pixel is saturated. */
  saturation: number;
}

export interface StarMeasure {
  /** Sub-pixel centre (pixel centres at whole numbers). */
  x: number;
  y: number;
  /** Full width at half maximum, pixels (2.3548 σ of the matched Gaussian). */
  fwhm: number;
  /**
   * The diameter of a disc as large as its pixels at half its peak or more: what the eye sees as
   * its core. A bright star's faint wide wings and a stretched image's soft halo do not count.
   */
  coreWidth: number;
  /** Sum of the star's pixels above the sky. */
  flux: number;
  /** The brightest of its pixels above the sky. */
  peak: number;
  /** Its brightest pixel (index). */
  peakPixel: number;
  saturated: boolean;
  /** Pixels above the threshold that belong to it. */
  area: number;
  /** (a² − b²) / (a² + b²) of the windowed second moments: 0 round, towards 1 a line. */
  ellipticity: number;
  /** The mean of the brightest pixel's four neighbours over the pixel. */
  sharpness: number;
  /**
   * Signal to noise of the star's light in its matched window, above the local sky: what the
   * detection found, tested again once the local sky (a nebula under the star) is taken off.
   */
  snr: number;
}

const MIN_WINDOW = 0.4;
/** A flat top: this many pixels at its brightest grey level… */
const FLAT_TOP_PIXELS = 4;
/** …standing this many σ above the sky (a faint star's top is often two or three equal grey levels). */
const FLAT_TOP_SNR = 30;
/** Wider than any star's core (saturated ones included): a nebula's window stops growing here. */
const MAX_WINDOW = 8;

/**
 * Measures star `id` from the pixels it owns, starting at its smoothed peak `start`. `skyAt` gives
 * the local sky around its brightest pixel (default: the ring of `localSky`).
 */
export function measureStar(
  ctx: MeasureContext,
  id: number,
  pixels: ArrayLike<number>,
  start: number,
  skyAt: (x: number, y: number) => number = (x, y) => localSky(ctx, x, y),
): StarMeasure {
  const { residual, data, width, saturation } = ctx;
  let flux = 0;
  let peakPixel = start;
  // The saturated pixels' centre: on a flat top the brightest pixel is anywhere.
  let saturatedCount = 0;
  let sx = 0;
  let sy = 0;
  let top = 0;
  for (let i = 0; i < pixels.length; i++) {
    const p = pixels[i]!;
    flux += residual[p]!;
    if (residual[p]! > residual[peakPixel]!) peakPixel = p;
    if (data[p]! > top) top = data[p]!;
  }
  const px = peakPixel % width;
  const py = (peakPixel - px) / width;
  const sky = skyAt(px, py);
  const peak = residual[peakPixel]! - sky;
  // Clipped: at the saturation level, or flat at its top over several pixels while far above the noise.
  const clip = top >= saturation || peak < FLAT_TOP_SNR * ctx.noise[peakPixel]! ? saturation : top;
  let half = 0;
  for (let i = 0; i < pixels.length; i++) {
    const p = pixels[i]!;
    if (residual[p]! - sky >= peak / 2) half++;
    if (data[p]! >= clip) {
      saturatedCount++;
      sx += p % width;
      sy += Math.floor(p / width);
    }
  }
  if (clip === top && top < saturation && saturatedCount < FLAT_TOP_PIXELS) saturatedCount = 0;
  const [x0, y0] = saturatedCount > 0 ? [sx / saturatedCount, sy / saturatedCount] : [px, py];
  const shape = adaptiveMoments(ctx, id, x0, y0, Math.min(3, Math.max(1, Math.sqrt(pixels.length / Math.PI) / 2)), sky);
  return {
    x: shape.x,
    y: shape.y,
    fwhm: 2.3548 * shape.sigma,
    coreWidth: 2 * Math.sqrt(half / Math.PI),
    flux: flux - sky * pixels.length,
    peak,
    peakPixel,
    saturated: saturatedCount > 0,
    area: pixels.length,
    ellipticity: shape.ellipticity,
    sharpness: sharpness(ctx, px, py),
    snr: shape.signal / (ctx.noise[peakPixel]! * Math.sqrt(shape.weight2)),
  };
}

/** The local sky's inner and outer radius (a square ring, pixels): beyond a star's core. */
const RING = [8, 12] as const;
const ringBuffer = new Float32Array((2 * RING[1] + 1) ** 2);

/**
 * What the mesh's sky misses around (x, y) (a nebula, a galaxy's halo): the median of the pixels
 * in a ring around it that belong to no object, as SExtractor's local background. 0 if none.
 * Every other row of the ring is enough for a median, at half the cost.
 */
export function localSky(ctx: Pick<MeasureContext, 'residual' | 'owner' | 'width' | 'height'>, x: number, y: number): number {
  const { residual, owner, width, height } = ctx;
  const values = ringBuffer;
  let n = 0;
  for (let v = Math.max(0, y - RING[1]) + ((y + RING[1]) & 1); v <= Math.min(height - 1, y + RING[1]); v += 2) {
    const rowOutside = Math.abs(v - y) >= RING[0];
    for (let u = Math.max(0, x - RING[1]); u <= Math.min(width - 1, x + RING[1]); u++) {
      if (!rowOutside && Math.abs(u - x) < RING[0]) {
        u = x + RING[0] - 1;
        continue;
      }
      const p = v * width + u;
      if (owner[p]! < 0) values[n++] = residual[p]!;
    }
  }
  if (n < 8) return 0;
  const ring = values.subarray(0, n).sort();
  return ring[n >> 1]!;
}

/**
 * How a peak compares with its four neighbours: their mean over the peak. A hot pixel's neighbours
 * are at the sky (0), so are a diagonal cosmic-ray track's (a track along x or y is elongated);
 * a star of 1–2 px that straddles two pixels still lights one neighbour well.
 */
export function sharpness(ctx: Pick<MeasureContext, 'residual' | 'width' | 'height'>, x: number, y: number): number {
  const { residual, width, height } = ctx;
  const at = (u: number, v: number): number => residual[Math.min(height - 1, Math.max(0, v)) * width + Math.min(width - 1, Math.max(0, u))]!;
  const top = at(x, y);
  if (!(top > 0)) return 0;
  return (at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1)) / (4 * top);
}

/** The successive window changes' ratios that are summed as a geometric series (see adaptiveMoments). */
const MIN_RATIO = 0.3;
const MAX_RATIO = 0.7;

/** The window's weights along x and along y, reused from star to star. */
const windowWeights = new Float64Array(2 * Math.ceil(3.5 * MAX_WINDOW) + 3);
const rowWeights = new Float64Array(2 * Math.ceil(3.5 * MAX_WINDOW) + 3);


/**
 * Iterates the centre and a round Gaussian window until the window's first moment vanishes and
 * its width matches the star's (for a Gaussian star, the windowed variance per axis is half the
 * window's; then the window's σ is the star's).
 */
export function adaptiveMoments(
  ctx: Omit<MeasureContext, 'data' | 'saturation' | 'noise'>,
  id: number,
  x0: number,
  y0: number,
  sigma0: number,
  sky = 0,
): { x: number; y: number; sigma: number; ellipticity: number; signal: number; weight2: number; passes: number } {
  const { residual, owner, width, height } = ctx;
  let x = x0;
  let y = y0;
  let sw = Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, sigma0));
  let ellipticity = 0;
  let signal = 0;
  let weight2 = 1;
  let lastChange = 0;
  const weights = windowWeights;
  let passes = 0;
  for (let iteration = 0; iteration < 20; iteration++) {
    passes++;
    const reach = Math.ceil(3.5 * sw);
    const k = -1 / (2 * sw * sw);
    const cx = Math.round(x);
    const cy = Math.round(y);
    // The window is separable: exp(k(dx² + dy²)) = ex(dx) · ex(dy), for the columns it covers.
    const u0 = Math.max(0, cx - reach);
    const u1 = Math.min(width - 1, cx + reach);
    const v0 = Math.max(0, cy - reach);
    const v1 = Math.min(height - 1, cy + reach);
    gaussianRun(weights, 0, u0, u1 - u0 + 1, k, x);
    gaussianRun(rowWeights, 0, v0, v1 - v0 + 1, k, y);
    let s = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    let w2 = 0;
    for (let v = v0; v <= v1; v++) {
      const dy = v - y;
      const rowWeight = rowWeights[v - v0]!;
      // The row's sums along x, then its share of each moment: the window's row factor and dy are
      // the same across the row, so they multiply once per row rather than once per pixel.
      let r = 0;
      let rx = 0;
      let rxx = 0;
      let r2 = 0;
      for (let u = u0; u <= u1; u++) {
        let q = v * width + u;
        if (owner[q] !== id && owner[q]! >= 0) {
          // A neighbour's pixel: use its mirror across the centre, unless that is a neighbour's too.
          const mu = Math.round(2 * x - u);
          const mv = Math.round(2 * y - v);
          if (mu < 0 || mv < 0 || mu >= width || mv >= height) continue;
          q = mv * width + mu;
          if (owner[q] !== id && owner[q]! >= 0) continue;
        }
        const wx = weights[u - u0]!;
        const value = wx * (residual[q]! - sky);
        const moment = value * (u - x);
        r += value;
        rx += moment;
        rxx += moment * (u - x);
        r2 += wx * wx;
      }
      w2 += rowWeight * rowWeight * r2;
      s += rowWeight * r;
      sx += rowWeight * rx;
      sy += rowWeight * r * dy;
      sxx += rowWeight * rxx;
      syy += rowWeight * r * dy * dy;
      sxy += rowWeight * rx * dy;
    }
    signal = s;
    weight2 = w2;
    if (!(s > 0)) break;
    const mx = sx / s;
    const my = sy / s;
    const mxx = sxx / s - mx * mx;
    const myy = syy / s - my * my;
    const mxy = sxy / s - mx * my;
    const trace = mxx + myy;
    ellipticity = trace > 0 ? Math.min(1, Math.sqrt((mxx - myy) ** 2 + 4 * mxy * mxy) / trace) : 0;
    // Windowing halves a Gaussian star's offset and variance: step twice the moment, at most 1 px.
    // (Solving for the star's width instead settles in fewer passes on well-sampled stars, but
    // throws undersampled ones of 1–2 px, whose pixels are no Gaussian, to the widest window.)
    const stepX = Math.max(-1, Math.min(1, 2 * mx));
    const stepY = Math.max(-1, Math.min(1, 2 * my));
    x += stepX;
    y += stepY;
    let next = Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, Math.sqrt(Math.max(0, trace))));
    const settled = Math.abs(stepX) < 1e-3 && Math.abs(stepY) < 1e-3 && Math.abs(next - sw) < 1e-2;
    // A well-sampled star's window closes in on its width geometrically, each change about half
    // the last: two such changes in a row and the rest of the series is summed in one jump. An
    // undersampled star's changes are not such a series and are left alone.
    const change = next - sw;
    const ratio = lastChange !== 0 ? change / lastChange : 0;
    if (ratio >= MIN_RATIO && ratio <= MAX_RATIO) {
      next = Math.min(MAX_WINDOW, Math.max(MIN_WINDOW, next + (change * ratio) / (1 - ratio)));
      lastChange = 0;
    } else {
      lastChange = change;
    }
    sw = next;
    if (settled) break;
  }
  // A window that wandered off the star (noise) leaves the centre where it started.
  const leash = Math.max(2, 1.5 * sw);
  if (!(Math.abs(x - x0) <= leash && Math.abs(y - y0) <= leash)) return { x: x0, y: y0, sigma: sw, ellipticity, signal, weight2, passes };
  return { x, y, sigma: sw, ellipticity, signal, weight2, passes };
}
