/**
 * Each detection at full resolution: the component found at half resolution is cut out of the
 * image with a margin (for the measuring window and the local sky), the sky taken off, smoothed
 * for the deblender, split into stars, and each star measured. Only these patches are ever
 * processed at full resolution, so the cost follows the stars, not the image's area.
 */
import quickselect from 'quickselect';
import type { GrayImage } from '../blob/detect.js';
import { COARSE_SCALE, COARSE_WHITE_RATIO, coarseSigma, type Coarse } from './coarse.js';
import type { Components } from './components.js';
import { Deblender } from './deblend.js';
import type { SkyObject } from './detect.js';
import { measureStar } from './measure.js';
import type { SkyParams } from './params.js';
import { clippedSigma, gaussianKernel, smoothAt } from './threshold.js';

/** See DeblendOptions.mirrorThreshold: two smoothed pixels' difference, stricter than the saddle's 3σ. */
const MIRROR_THRESHOLD = 5;
/** Around a detection: a typical star's measuring window fits in. */
const MARGIN = 6;
/** The local sky's ring, in coarse pixels (Chebyshev radii): 8 to 12 pixels from the star. */
const RING = [4, 6] as const;
/** 1 / COARSE_SCALE, a power of two: multiplying by it divides exactly. */
const INV_SCALE = 1 / COARSE_SCALE;
/** Marks, in a patch's owner map, pixels of another detection. */
const OTHER = 0x7fffffff;
/** Marks this detection's pixels until the deblender assigns them. */
const OWN = 0x7ffffffe;

/** σ of the raw pixels and of the full-resolution smoothed image, per unit of the coarse σ (in grey levels). */
export interface NoiseRatios {
  raw: number;
  fine: number;
}

/**
 * How the noise of the raw image, and of the image smoothed with `kernel`, compares with that of
 * the detection image, measured on a grid of samples (JPEG and resampling leave real images' noise
 * correlated, so the white-noise ratios are only the bounds).
 */
export function noiseRatios(image: GrayImage, coarse: Coarse, kernel = gaussianKernel(1), samples = 4000): NoiseRatios {
  const { data, width, height } = image;
  const white2d = kernel.reduce((sum, k) => sum + k * k, 0);
  const upper = { raw: 1 / COARSE_WHITE_RATIO, fine: white2d / COARSE_WHITE_RATIO };
  const radius = kernel.length >> 1;
  const step = Math.max(3, Math.floor(Math.sqrt(((width - 2 * radius) * (height - 2 * radius)) / samples)));
  const raw: number[] = [];
  const fine: number[] = [];
  const detection: number[] = [];
  for (let y = radius; y < height - radius && y >> 1 < coarse.height; y += step) {
    for (let x = radius; x < width - radius && x >> 1 < coarse.width; x += step) {
      const b = (y >> 1) * coarse.width + (x >> 1);
      const sigma = coarseSigma(coarse, b);
      const unit = sigma / COARSE_SCALE;
      const sky = coarse.level[b]! / COARSE_SCALE;
      let f = 0;
      for (let v = -radius; v <= radius; v++) {
        for (let u = -radius; u <= radius; u++) f += kernel[v + radius]! * kernel[u + radius]! * data[(y + v) * width + x + u]!;
      }
      raw.push((data[y * width + x]! - sky) / unit);
      fine.push((f - sky) / unit);
      detection.push((coarse.smoothed[b]! - coarse.level[b]!) / sigma);
    }
  }
  const base = clippedSigma(detection);
  if (!(base > 0)) return upper;
  return {
    raw: Math.min(upper.raw, Math.max(1, clippedSigma(raw) / base)),
    fine: Math.min(upper.fine, Math.max(white2d, clippedSigma(fine) / base)),
  };
}

/** A typed array of at least `n` elements, reused from call to call. */
class Scratch<T extends Float32Array | Int32Array | Uint8Array> {
  private buffer: T;
  constructor(private readonly make: (n: number) => T) {
    this.buffer = make(1024);
  }
  get(n: number): T {
    if (this.buffer.length < n) this.buffer = this.make(2 * n);
    return this.buffer.subarray(0, n) as T;
  }
}

export class PatchMeasurer {
  /** The component of each coarse pixel, -1 for none. */
  private readonly label: Int32Array;
  private readonly kernel: Float32Array;
  private readonly residual = new Scratch((n) => new Float32Array(n));
  private readonly smoothed = new Scratch((n) => new Float32Array(n));
  private readonly across = new Scratch((n) => new Float32Array(n));
  private readonly data = new Scratch((n) => new Uint8Array(n));
  private readonly owner = new Scratch((n) => new Int32Array(n));
  private readonly noise = new Scratch((n) => new Float32Array(n));
  private readonly ring = new Float32Array((2 * RING[1] + 1) ** 2);
  /** The detection's pixels in the deblender's frame, and each star's in the patch: reused (they were most of the garbage). */
  private readonly own = new Scratch((n) => new Int32Array(n));
  private readonly starPixels = new Scratch((n) => new Int32Array(n));
  private readonly starCounts = new Scratch((n) => new Int32Array(n));

  constructor(
    private readonly image: GrayImage,
    private readonly coarse: Coarse,
    private readonly components: Components,
    private readonly ratios: NoiseRatios,
    private readonly params: SkyParams,
  ) {
    this.label = new Int32Array(coarse.width * coarse.height).fill(-1);
    for (let c = 0; c < components.count; c++) {
      for (let i = components.offsets[c]!; i < components.offsets[c + 1]!; i++) this.label[components.pixels[i]!] = c;
    }
    this.kernel = gaussianKernel(params.smoothing);
  }

  /** Deblends and measures component `c`, appending its objects to `out`. */
  measure(c: number, out: SkyObject[]): void {
    const { image, coarse, components, label, params } = this;
    const cw = coarse.width;
    let bx0 = cw;
    let by0 = coarse.height;
    let bx1 = 0;
    let by1 = 0;
    let top = components.pixels[components.offsets[c]!]!;
    for (let i = components.offsets[c]!; i < components.offsets[c + 1]!; i++) {
      const b = components.pixels[i]!;
      const bx = b % cw;
      const by = (b - bx) / cw;
      if (bx < bx0) bx0 = bx;
      if (bx > bx1) bx1 = bx;
      if (by < by0) by0 = by;
      if (by > by1) by1 = by;
      if (coarse.smoothed[b]! - coarse.level[b]! > coarse.smoothed[top]! - coarse.level[top]!) top = b;
    }
    // The patch: the detection and a margin for the measuring window and the local sky.
    const ox = Math.max(0, 2 * bx0 - MARGIN);
    const oy = Math.max(0, 2 * by0 - MARGIN);
    const pw = Math.min(image.width - 1, 2 * bx1 + 1 + MARGIN) - ox + 1;
    const ph = Math.min(image.height - 1, 2 * by1 + 1 + MARGIN) - oy + 1;
    const residual = this.residual.get(pw * ph);
    const data = this.data.get(pw * ph);
    const owner = this.owner.get(pw * ph);
    const pixelsIn = image.data;
    const level = coarse.level;
    const lastColumn = cw - 1;
    const stride = image.width;
    // Two rows of two pixels per coarse pixel (ox and oy are even): its level and label are read
    // once for the four. An odd last column or row lies at the image's edge.
    for (let v = 0; v < ph; v += 2) {
      const y = oy + v;
      const brow = Math.min(coarse.height - 1, y >> 1) * cw;
      const pair = v + 1 < ph;
      for (let u = 0, q = v * pw, p = y * stride + ox; u < pw; u += 2, q += 2, p += 2) {
        const bx = (ox + u) >> 1;
        const b = brow + (bx < lastColumn ? bx : lastColumn);
        const sky = level[b]! * INV_SCALE;
        const l = label[b]!;
        const mark = l < 0 ? -1 : l === c ? OWN : OTHER;
        const wide = u + 1 < pw;
        let value = pixelsIn[p]!;
        data[q] = value;
        residual[q] = value - sky;
        owner[q] = mark;
        if (wide) {
          value = pixelsIn[p + 1]!;
          data[q + 1] = value;
          residual[q + 1] = value - sky;
          owner[q + 1] = mark;
        }
        if (!pair) continue;
        value = pixelsIn[p + stride]!;
        data[q + pw] = value;
        residual[q + pw] = value - sky;
        owner[q + pw] = mark;
        if (wide) {
          value = pixelsIn[p + stride + 1]!;
          data[q + pw + 1] = value;
          residual[q + pw + 1] = value - sky;
          owner[q + pw + 1] = mark;
        }
      }
    }
    // The detection's pixels, listed within its frame for the deblender: itself and the smoothing
    // kernel's reach (row by row, so ties are broken as in that frame). They are deblended in the
    // patch's own frame, which holds that one: the kernel never reaches past it but at the image's
    // edges, where both frames end alike.
    const reach = this.kernel.length >> 1;
    const ix = Math.max(0, 2 * bx0 - reach) - ox;
    const iy = Math.max(0, 2 * by0 - reach) - oy;
    const iw = Math.min(pw, 2 * bx1 + 2 + reach - ox) - ix;
    const ih = Math.min(ph, 2 * by1 + 2 + reach - oy) - iy;
    // In typed scratch, not arrays emptied and refilled: emptying an array gives up its storage,
    // and growing it again was a quarter of the detector's garbage.
    const ownScratch = this.own.get(iw * ih);
    let owned = 0;
    for (let v = 0; v < ih; v++) {
      for (let u = 0, q = (iy + v) * pw + ix; u < iw; u++, q++) if (owner[q] === OWN) ownScratch[owned++] = q;
    }
    const own = ownScratch.subarray(0, owned);
    const unit = coarseSigma(coarse, top) / COARSE_SCALE;
    const smoothed = this.smoothed.get(pw * ph);
    smoothAt(residual, pw, ph, this.kernel, own, smoothed, this.across.get(pw * ph));
    const deblender = new Deblender(smoothed, this.noise.get(pw * ph).fill(unit * this.ratios.fine), pw, ph, {
      threshold: params.deblendThreshold,
      contrast: params.deblendContrast,
      shareSigma: Math.hypot(1.5, params.smoothing),
      mirrorThreshold: MIRROR_THRESHOLD,
      raw: { data, saturation: params.saturation },
    });
    // Its pixels clear of the patch's edges (2×2 a coarse pixel, and an odd image's last column or
    // row with the coarse one before it: up to 2·bx1 + 2): no edge tests in the flood.
    const interior = 2 * bx0 - ox >= 1 && 2 * by0 - oy >= 1 && 2 * bx1 + 2 - ox <= pw - 2 && 2 * by1 + 2 - oy <= ph - 2;
    const peaks = deblender.peaks(own, interior);
    const first = out.length;
    // Each of the detection's pixels now marked with the star it goes to.
    deblender.share(own, peaks, owner, first);
    // Each star's pixels, in the order of `own`: counted, then placed star after star.
    const starts = this.starCounts.get(peaks.length + 1).fill(0);
    for (let i = 0; i < owned; i++) starts[owner[own[i]!]! - first + 1]!++;
    for (let j = 0; j < peaks.length; j++) starts[j + 1]! += starts[j]!;
    const sorted = this.starPixels.get(owned);
    for (let i = 0; i < owned; i++) {
      const p = own[i]!;
      sorted[starts[owner[p]! - first]!++] = p;
    }
    // (starts[j] now ends star j: star j runs from starts[j - 1], or 0.)
    const noise = unit * this.ratios.raw;
    const ctx = { residual, data, owner, noise: this.noise.get(pw * ph).fill(noise), width: pw, height: ph, saturation: params.saturation };
    for (let j = 0; j < peaks.length; j++) {
      const m = measureStar(ctx, first + j, sorted.subarray(j === 0 ? 0 : starts[j - 1]!, starts[j]!), peaks[j]!, (x, y) => this.localSky((x + ox) >> 1, (y + oy) >> 1));
      const px = m.peakPixel % pw;
      const py = (m.peakPixel - px) / pw;
      // Written out: a spread with overrides took V8's slow path, a few µs a star.
      out.push({
        x: m.x + ox, y: m.y + oy, fwhm: m.fwhm, coreWidth: m.coreWidth, flux: m.flux, peak: m.peak,
        peakPixel: (py + oy) * image.width + px + ox, saturated: m.saturated, area: m.area,
        ellipticity: m.ellipticity, sharpness: m.sharpness, snr: m.snr, noise,
      });
    }
  }

  /**
   * What the mesh's sky misses around coarse pixel (bx, by) (a nebula, a galaxy's halo), in grey
   * levels: the median of the detection image over a ring of coarse pixels outside every detection,
   * every other row, as SExtractor's local background. 0 when too few are free.
   */
  localSky(bx: number, by: number): number {
    const { coarse, label, ring } = this;
    const cw = coarse.width;
    let n = 0;
    for (let v = Math.max(0, by - RING[1]); v <= Math.min(coarse.height - 1, by + RING[1]); v += 2) {
      const inside = Math.abs(v - by) < RING[0];
      for (let u = Math.max(0, bx - RING[1]); u <= Math.min(cw - 1, bx + RING[1]); u++) {
        if (inside && Math.abs(u - bx) < RING[0]) {
          u = bx + RING[0] - 1;
          continue;
        }
        const b = v * cw + u;
        if (label[b]! < 0) ring[n++] = coarse.smoothed[b]! - coarse.level[b]!;
      }
    }
    if (n < 8) return 0;
    // The middle value by selection (the ring is scratch): a sort cost twice as much.
    // (Its types say T[]; it only indexes and swaps, which a typed array does as well.)
    quickselect(ring as unknown as number[], n >> 1, 0, n - 1);
    return ring[n >> 1]! / COARSE_SCALE;
  }
}
