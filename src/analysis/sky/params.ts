/**
 * The sky detector's parameters. The defaults work on real photographs and on the demo's skies
 * without tuning (`npm run bench:detect` measures them).
 */
export type SkyParams = {
  /**
   * Detection threshold: the smoothed image must stand this many σ above the local sky, σ being
   * the noise of the smoothed image (about a third of the raw image's). @default 5
   */
  threshold: number;
  /** Fewest connected pixels above the threshold for a detection. @default 5 */
  minArea: number;
  /**
   * A star's brightest pixel must stand this many σ of the raw pixels' noise above the sky (the
   * noise where it is, at most the image's typical noise): a broad faint swell, which the
   * smoothing lifts over the threshold, has no pixel that stands out. @default 5
   */
  minPeak: number;
  /** Side of the background mesh's square cells, in pixels (small enough to follow a nebula). @default 32 */
  meshSize: number;
  /** Side of the median filter over the mesh (1 = none): one bright star must not lift a cell. @default 3 */
  meshFilter: number;
  /** Sigma of the Gaussian the image is smoothed with before thresholding (matched to a small star). @default 1 */
  smoothing: number;
  /** A neighbour peak is a star of its own when it stands this many σ above the saddle between them. @default 3 */
  deblendThreshold: number;
  /** …and when its height above the saddle is at least this share of its brighter neighbour's. @default 0.01 */
  deblendContrast: number;
  /**
   * Hot pixels and cosmic rays: the share of its peak that a star's four neighbours average at
   * least (an image of smaller stars lowers it to half their median). Only a peak
   * whose neighbours fall short of it by 3σ of their noise is too sharp to be a star. @default 0.25
   */
  minSharpness: number;
  /** Reject objects more elongated than this ((a² − b²) / (a² + b²) of their light): spikes, streaks. @default 0.5 */
  maxEllipticity: number;
  /**
   * Reject unsaturated objects wider than this many times the image's typical star (nebula knots,
   * galaxies, and blends of faint stars, whose centre is no star's)… @default 2
   */
  maxWidthRatio: number;
  /**
   * …unless their core (the disc at half their peak, when bright) is within this many times the
   * typical star's: a stretched image's bright stars are a few times wider than its faint ones. @default 5
   */
  maxCoreRatio: number;
  /** Grey level at which a pixel counts as saturated. @default 250 */
  saturation: number;
};

export const DEFAULT_SKY_PARAMS: Readonly<SkyParams> = Object.freeze({
  threshold: 5,
  minArea: 5,
  minPeak: 5,
  meshSize: 32,
  meshFilter: 3,
  smoothing: 1,
  deblendThreshold: 3,
  deblendContrast: 0.01,
  minSharpness: 0.25,
  maxEllipticity: 0.5,
  maxWidthRatio: 2,
  maxCoreRatio: 5,
  saturation: 250,
});

export class SkyParamsError extends Error {
  readonly code = 'E_DETECTOR_PARAMS';
}

/** Each parameter's allowed range, inclusive, and whether it must be whole. */
const RANGES: Record<keyof SkyParams, { min: number; max: number; whole?: boolean }> = {
  threshold: { min: 0.5, max: 1000 },
  minArea: { min: 1, max: 1e6, whole: true },
  minPeak: { min: 0, max: 1000 },
  meshSize: { min: 8, max: 4096, whole: true },
  meshFilter: { min: 1, max: 9, whole: true },
  smoothing: { min: 0, max: 10 },
  deblendThreshold: { min: 0, max: 1000 },
  deblendContrast: { min: 0, max: 1 },
  minSharpness: { min: 0, max: 1 },
  maxEllipticity: { min: 0, max: 1 },
  maxWidthRatio: { min: 1, max: 1000 },
  maxCoreRatio: { min: 1, max: 1000 },
  saturation: { min: 1, max: 255 },
};

/** The defaults with `overrides` applied, each checked against its range. */
export function resolveSkyParams(overrides: Partial<SkyParams> = {}): SkyParams {
  const names = Object.keys(DEFAULT_SKY_PARAMS);
  for (const [key, value] of Object.entries(overrides)) {
    const range = (RANGES as Record<string, (typeof RANGES)[keyof SkyParams] | undefined>)[key];
    if (!range) throw new SkyParamsError(`Unknown parameter ${key} for the sky detector; it has: ${names.join(', ')}.`);
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new SkyParamsError(`Detector parameter ${key} must be a number, but received ${String(value)}.`);
    }
    if (value < range.min || value > range.max || (range.whole && !Number.isInteger(value))) {
      const kind = range.whole ? 'a whole number' : 'a number';
      throw new SkyParamsError(`Detector parameter ${key} must be ${kind} from ${range.min} to ${range.max}, but received ${value}.`);
    }
  }
  return { ...DEFAULT_SKY_PARAMS, ...overrides };
}
