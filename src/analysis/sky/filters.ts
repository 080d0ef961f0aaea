/**
 * Which measured objects are stars. Pure: measurements in, a reason to reject (or none) out.
 * - too faint: no longer significant once the local sky is taken off (a bump of a nebula);
 * - too sharp: a hot pixel or a cosmic ray's track, narrower than any star the optics can make;
 * - too elongated: a diffraction spike's fragment, a streak, a nebula's filament;
 * - too wide: a nebula's knot or a galaxy, several times wider than the image's typical star.
 * Saturated stars are exempt from the shape and width tests: their flat tops, spikes and halos are still stars.
 */
import type { StarMeasure } from './measure.js';

export type Rejection = 'faint' | 'sharp' | 'elongated' | 'wide' | undefined;

export interface FilterLimits {
  /** The least signal to noise above the local sky. */
  minSnr: number;
  minSharpness: number;
  maxEllipticity: number;
  /** The widest FWHM a star may have (Infinity: no limit). */
  maxFwhm: number;
}

export function rejection(star: StarMeasure, limits: FilterLimits): Rejection {
  if (!(star.snr >= limits.minSnr)) return 'faint';
  // A saturated hot pixel is still one pixel: sharpness applies to saturated objects too.
  if (star.sharpness < limits.minSharpness) return 'sharp';
  if (star.saturated) return undefined;
  if (star.ellipticity > limits.maxEllipticity) return 'elongated';
  if (star.fwhm > limits.maxFwhm) return 'wide';
  return undefined;
}

/**
 * The image's typical star width: the median FWHM of the unsaturated objects that are neither too
 * sharp nor too elongated, bright enough to be measured well. Undefined when there are too few.
 */
export function typicalFwhm(stars: readonly StarMeasure[], limits: Omit<FilterLimits, 'maxFwhm' | 'minSnr'>, minPeak: number): number | undefined {
  const widths = stars
    .filter((s) => !s.saturated && s.peak >= minPeak && s.sharpness >= limits.minSharpness && s.ellipticity <= limits.maxEllipticity)
    .map((s) => s.fwhm)
    .sort((a, b) => a - b);
  if (widths.length < 5) return undefined;
  return widths[widths.length >> 1];
}
