/**
 * Which measured objects are stars. Pure: measurements in, a reason to reject (or none) out.
 * - too faint: no longer significant once the local sky is taken off (a bump of a nebula), or
 *   no pixel of it standing out of the pixel noise (a broad faint swell of JPEG blocks or sky);
 * - too sharp: a hot pixel or a cosmic ray's track, significantly sharper than the image's stars
 *   can be, given the noise (a star of 1–2 px, as in a cluster's core, is not a hot pixel);
 * - too elongated: a diffraction spike's fragment, a streak, a nebula's filament;
 * - too wide: a nebula's knot or a galaxy, several times wider than the image's typical star.
 * Saturated stars are exempt from the shape and width tests: their flat tops, spikes and halos are still stars.
 */
import type { StarMeasure } from './measure.js';

export type Rejection = 'faint' | 'sharp' | 'elongated' | 'wide' | undefined;

/** What the filters need of a measured object: its measurements and the raw noise σ where it is. */
export type FilterInput = StarMeasure & { noise: number };

export interface FilterLimits {
  /** The least signal to noise above the local sky. */
  minSnr: number;
  /** The least peak, in σ of the noise where the object is, but of at most `typicalNoise` (0: no limit). */
  minPeak: number;
  /** The image's typical raw noise σ: a crowded cell's is its crowding as much as noise. */
  typicalNoise: number;
  /** The least sharpness a star can have here (see `sharpnessLimit`). */
  minSharpness: number;
  /** The least FWHM a star can have here: half the typical star's (0: no limit). */
  minFwhm: number;
  maxEllipticity: number;
  /** The widest FWHM a star may have (Infinity: no limit)… */
  maxFwhm: number;
  /** …unless its core is no wider than this (Infinity: no limit). */
  maxCoreWidth: number;
}

/**
 * How many σ of the neighbours' mean an object must fall short of the least sharpness a star can
 * have to be called too sharp: a hot pixel's neighbours are at the sky, a faint star's are noisy.
 */
const SHARP_SIGMAS = 3;

/** Objects narrower than this (FWHM, px) are too small to have a shape. */
const MIN_SHAPED_FWHM = 1.5;
/** Half the peak must stand this many σ clear of the noise for the core's width to be measured. */
const CORE_SNR = 20;

export function rejection(star: FilterInput, limits: FilterLimits): Rejection {
  if (!(star.snr >= limits.minSnr)) return 'faint';
  if (!star.saturated && !(star.peak >= limits.minPeak * Math.min(star.noise, limits.typicalNoise))) return 'faint';
  // A saturated hot pixel is still one pixel: sharpness applies to saturated objects too.
  // A hot pixel smeared by JPEG has neighbours, but its moments still shrink to a point.
  if (tooSharp(star, limits.minSharpness) || star.fwhm < limits.minFwhm) return 'sharp';
  if (star.saturated) return undefined;
  // A star of 1–2 px has no measurable shape (its window is at the smallest); a streak is longer.
  if (star.ellipticity > limits.maxEllipticity && star.fwhm >= MIN_SHAPED_FWHM) return 'elongated';
  // A bright star's wide faint wings widen its moments, not its core; a galaxy is wide in both.
  // A faint object's half-maximum disc is a few noise spikes: its moments alone say.
  const coreKnown = star.peak >= CORE_SNR * star.noise;
  if (star.fwhm > limits.maxFwhm && (!coreKnown || star.coreWidth > limits.maxCoreWidth)) return 'wide';
  return undefined;
}

/**
 * Sharper than any star: the neighbours' mean (sharpness × peak) lies SHARP_SIGMAS of its noise
 * (σ/2, a mean of four pixels) below what the least sharp star would give.
 */
export function tooSharp(star: Pick<FilterInput, 'sharpness' | 'peak' | 'noise'>, minSharpness: number): boolean {
  if (!(star.peak > 0)) return true;
  return star.sharpness < minSharpness - (SHARP_SIGMAS * star.noise) / (2 * star.peak);
}

/**
 * The least sharpness a star may have in this image: `ceiling` (the parameter), lowered to half
 * the median sharpness of the bright objects when the image's stars are that small (undersampled
 * stars of 1–2 px); hot pixels are too few to move the median.
 */
export function sharpnessLimit(bright: readonly Pick<StarMeasure, 'sharpness'>[], ceiling: number): number {
  if (bright.length < 5) return ceiling;
  const values = bright.map((s) => s.sharpness).sort((a, b) => a - b);
  return Math.min(ceiling, values[values.length >> 1]! / 2);
}

/** The image's typical star: its FWHM and its core's width (see StarMeasure). */
export interface TypicalWidths {
  fwhm: number;
  coreWidth: number;
}

/**
 * The image's typical star widths: the medians over the unsaturated objects that are neither too
 * sharp nor too elongated (pass bright ones, to be measured well). Undefined when there are too few.
 */
export function typicalWidths(stars: readonly FilterInput[], limits: Pick<FilterLimits, 'minSharpness' | 'maxEllipticity'>): TypicalWidths | undefined {
  const good = stars.filter((s) => !s.saturated && !tooSharp(s, limits.minSharpness) && s.ellipticity <= limits.maxEllipticity);
  if (good.length < 5) return undefined;
  const median = (values: number[]): number => values.sort((a, b) => a - b)[values.length >> 1]!;
  return { fwhm: median(good.map((s) => s.fwhm)), coreWidth: median(good.map((s) => s.coreWidth)) };
}
