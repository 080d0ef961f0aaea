/**
 * The sky detector: finds stars the way astronomers extract sources (SExtractor, SEP). Background
 * and noise on a mesh → the image minus the sky, smoothed → pixels k·σ above the sky → connected
 * components of at least minArea pixels → deblending → measurement → rejection of what is not a
 * star. Pure TypeScript on typed arrays.
 */
import type { GrayImage } from '../blob/detect.js';
import { estimateBackground } from './background.js';
import { connectedComponents } from './components.js';
import { Deblender } from './deblend.js';
import { rejection, typicalFwhm } from './filters.js';
import { measureStar, type StarMeasure } from './measure.js';
import type { SkyParams } from './params.js';
import { gaussianKernel, smooth, smoothedNoiseRatio, thresholdMask } from './threshold.js';

/** A star as the sky detector reports it: the shared keypoint fields and its measurements. */
export interface SkyKeypoint {
  x: number;
  y: number;
  /** Diameter of the circle drawn around it: twice its FWHM, or its detected extent if larger. */
  size: number;
  /** Sum of its pixels above the sky (grey levels). */
  flux: number;
  /** Its brightest pixel above the sky. */
  peak: number;
  /** Full width at half maximum, pixels. */
  fwhm: number;
  /** It has pixels at the saturation level (its centre and width are less certain). */
  saturated: boolean;
}

/** Objects brighter than this many σ set the image's typical star width. */
const TYPICAL_SNR = 10;

/** Every star in `image`, the brightest first. */
export function detectSky(image: GrayImage, params: SkyParams): SkyKeypoint[] {
  return measureSky(image, params).stars.map(toKeypoint);
}

/** The stars found, and everything measured on the way (for tests and tuning). */
export function measureSky(image: GrayImage, params: SkyParams): { stars: StarMeasure[]; rejected: (StarMeasure & { reason: string })[] } {
  const { data, width, height } = image;
  const background = estimateBackground(image, params.meshSize, params.meshFilter);
  const residual = background.residual;
  const kernel = gaussianKernel(params.smoothing);
  const smoothed = smooth(residual, width, height, kernel);
  const ratio = smoothedNoiseRatio(residual, smoothed, background.sigma, kernel);
  const components = connectedComponents(thresholdMask(smoothed, background.sigma, params.threshold * ratio), width, height, params.minArea);

  // A blend's pixels are shared with a Gaussian as wide as a typical star seen through the smoothing.
  const deblender = new Deblender(smoothed, background.sigma, width, height, {
    threshold: params.deblendThreshold * ratio,
    contrast: params.deblendContrast,
    shareSigma: Math.hypot(1.5, params.smoothing),
  });
  const owner = new Int32Array(width * height).fill(-1);
  const objects: { pixels: number[]; start: number }[] = [];
  for (let c = 0; c < components.count; c++) {
    const pixels = components.pixels.subarray(components.offsets[c]!, components.offsets[c + 1]!);
    const peaks = deblender.peaks(pixels);
    const first = objects.length;
    deblender.share(pixels, peaks, owner, first);
    for (const start of peaks) objects.push({ pixels: [], start });
    for (let i = 0; i < pixels.length; i++) objects[owner[pixels[i]!]!]!.pixels.push(pixels[i]!);
  }

  const ctx = { residual, data, owner, noise: background.sigma, width, height, saturation: params.saturation };
  const measured = objects.map((o, id) => measureStar(ctx, id, o.pixels, o.start));
  const limits = { minSharpness: params.minSharpness, maxEllipticity: params.maxEllipticity, minSnr: params.threshold };
  const minPeak = (s: StarMeasure): number => TYPICAL_SNR * background.sigma[s.peakPixel]!;
  const typical = typicalFwhm(measured.filter((s) => s.peak >= minPeak(s)), limits, 0);
  const maxFwhm = typical === undefined ? Infinity : params.maxWidthRatio * typical;
  const stars: StarMeasure[] = [];
  const rejected: (StarMeasure & { reason: string })[] = [];
  for (const s of measured) {
    const reason = rejection(s, { ...limits, maxFwhm });
    if (reason) rejected.push({ ...s, reason });
    else stars.push(s);
  }
  stars.sort((a, b) => b.flux - a.flux || a.peakPixel - b.peakPixel);
  return { stars, rejected };
}

const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

function toKeypoint(s: StarMeasure): SkyKeypoint {
  const extent = 2 * Math.sqrt(s.area / Math.PI);
  return {
    x: round(s.x, 3),
    y: round(s.y, 3),
    size: round(Math.max(2 * s.fwhm, extent), 2),
    flux: round(s.flux, 1),
    peak: round(s.peak, 1),
    fwhm: round(s.fwhm, 2),
    saturated: s.saturated,
  };
}
