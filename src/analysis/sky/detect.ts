/**
 * The sky detector: finds stars the way astronomers extract sources (SExtractor, SEP). The whole
 * image is seen once, at half resolution (coarse.ts): sky level and noise on a mesh, the pixels
 * k·σ above the sky, their connected components. Each component is then cut out at full
 * resolution with a margin (patch.ts), deblended, measured, and kept or rejected as a star.
 * Pure TypeScript on typed arrays.
 */
import type { GrayImage } from '../blob/detect.js';
import { meshMedian } from './background.js';
import { COARSE_SCALE, coarseMask, coarseSky } from './coarse.js';
import { placeAmongCompanions } from './companions.js';
import { connectedComponents } from './components.js';
import { rejection, sharpnessLimit, typicalWidths } from './filters.js';
import type { StarMeasure } from './measure.js';
import { noiseRatios, PatchMeasurer } from './patch.js';
import { MIN_FIT_FWHM, refineObjects, SPLIT_DEFAULTS } from './refine.js';
import type { SkyParams } from './params.js';

/** A star as the sky detector reports it: the shared keypoint fields and its measurements. */
export interface SkyKeypoint {
  x: number;
  y: number;
  /** Diameter of the circle drawn around it: twice its FWHM or its core's width, the smaller (a saturated star's: its core's). */
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

/** A measured object and the raw noise σ where it is. */
export type SkyObject = StarMeasure & { noise: number };

/** Every star in `image`, the brightest first. */
export function detectSky(image: GrayImage, params: SkyParams): SkyKeypoint[] {
  return measureSky(image, params).stars.map(toKeypoint);
}

/** The stars found, and everything measured on the way (for tests and tuning). */
export function measureSky(image: GrayImage, params: SkyParams): { stars: SkyObject[]; rejected: (SkyObject & { reason: string })[] } {
  if (image.width < 2 || image.height < 2) return { stars: [], rejected: [] };
  const coarse = coarseSky(image, params.meshSize, params.meshFilter);
  const components = connectedComponents(
    coarseMask(coarse, params.threshold),
    coarse.width,
    coarse.height,
    Math.max(1, Math.round(params.minArea / 4)),
  );
  const ratios = noiseRatios(image, coarse);
  const measurer = new PatchMeasurer(image, coarse, components, ratios, params);
  const measured: SkyObject[] = [];
  for (let c = 0; c < components.count; c++) measurer.measure(c, measured);

  const bright = measured.filter((s) => s.peak >= TYPICAL_SNR * s.noise && !s.saturated);
  const limits = {
    minSharpness: sharpnessLimit(bright, params.minSharpness),
    maxEllipticity: params.maxEllipticity,
    minSnr: params.threshold,
    minPeak: params.minPeak,
    typicalNoise: (meshMedian(coarse.sigma.values) / COARSE_SCALE) * ratios.raw,
  };
  const typical = typicalWidths(bright, limits);
  const widths = {
    minFwhm: typical === undefined ? 0 : typical.fwhm / 2,
    maxFwhm: typical === undefined ? Infinity : params.maxWidthRatio * typical.fwhm,
    maxCoreWidth: typical === undefined ? Infinity : params.maxCoreRatio * typical.coreWidth,
  };
  const stars: SkyObject[] = [];
  const rejected: (SkyObject & { reason: string })[] = [];
  const all = { ...limits, ...widths };
  // The typical star is the PSF the centres are fitted with and close pairs split by. Only what
  // passes as a star may be two: an elongated object (a galaxy, a streak) stays one. A fitted
  // centre changes none of what the filters test, so what they reject is not fitted at all.
  const isStar = (s: SkyObject): boolean => rejection(s, all) === undefined;
  // Then each star is placed again among its neighbours and the companions they leave unexplained.
  const psf = { sigma: typical === undefined ? 0 : typical.fwhm / 2.3548, saturation: params.saturation, kept: isStar };
  const objects = typical === undefined || typical.fwhm < MIN_FIT_FWHM
    ? measured
    : placeAmongCompanions(image, refineObjects(image, measured, { ...psf, ...SPLIT_DEFAULTS, splittable: isStar }), { ...psf, typicalNoise: limits.typicalNoise });
  for (const s of objects) {
    const reason = rejection(s, all);
    if (reason) rejected.push({ ...s, reason });
    else stars.push(s);
  }
  stars.sort((a, b) => b.flux - a.flux || a.peakPixel - b.peakPixel);
  return { stars, rejected };
}

const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

function toKeypoint(s: StarMeasure): SkyKeypoint {
  // A saturated star's top is flat: its moments' width says little, its half-maximum disc is its
  // core. A star in a brighter one's halo has its moments widened by the halo, not its core.
  const width = s.saturated ? s.coreWidth : Math.min(s.fwhm, s.coreWidth);
  return {
    x: round(s.x, 3),
    y: round(s.y, 3),
    size: round(2 * width, 2),
    flux: round(s.flux, 1),
    peak: round(s.peak, 1),
    fwhm: round(s.fwhm, 2),
    saturated: s.saturated,
  };
}
