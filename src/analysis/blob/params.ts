/**
 * SimpleBlobDetector's parameters, as OpenCV keeps them: C++ `float` fields (so every number here
 * is rounded to float32 before use, and compared as such) and the seed pipeline's defaults.
 */
export type BlobParams = {
  /** @default 10 */ thresholdStep: number;
  /** @default 50 */ minThreshold: number;
  /** @default 220 */ maxThreshold: number;
  /** Levels a blob must appear on to become a keypoint. @default 2 */ minRepeatability: number;
  /** @default 10 */ minDistBetweenBlobs: number;
  /** @default true */ filterByColor: boolean;
  /** 255 for bright blobs (stars), 0 for dark ones. @default 255 (the seed's) */ blobColor: number;
  /** @default true */ filterByArea: boolean;
  /** @default 10 (the seed's) */ minArea: number;
  /** @default 5000 */ maxArea: number;
  /** @default false */ filterByCircularity: boolean;
  /** @default 0.8 */ minCircularity: number;
  /** @default FLT_MAX */ maxCircularity: number;
  /** @default true */ filterByInertia: boolean;
  /** @default 0.1 */ minInertiaRatio: number;
  /** @default FLT_MAX */ maxInertiaRatio: number;
  /** @default true */ filterByConvexity: boolean;
  /** @default 0.95 */ minConvexity: number;
  /** @default FLT_MAX */ maxConvexity: number;
};

/** The largest float32, OpenCV's "no upper bound". */
export const FLT_MAX = 3.4028234663852886e38;

/** The seed's parameters: OpenCV 4.x defaults with blobColor 255 and minArea 10. */
export const SEED_BLOB_PARAMS: Readonly<BlobParams> = Object.freeze({
  thresholdStep: 10,
  minThreshold: 50,
  maxThreshold: 220,
  minRepeatability: 2,
  minDistBetweenBlobs: 10,
  filterByColor: true,
  blobColor: 255,
  filterByArea: true,
  minArea: 10,
  maxArea: 5000,
  filterByCircularity: false,
  minCircularity: 0.8,
  maxCircularity: FLT_MAX,
  filterByInertia: true,
  minInertiaRatio: 0.1,
  maxInertiaRatio: FLT_MAX,
  filterByConvexity: true,
  minConvexity: 0.95,
  maxConvexity: FLT_MAX,
});

export class BlobParamsError extends Error {
  readonly code = 'E_DETECTOR_PARAMS';
}

const FLOAT_FIELDS = [
  'thresholdStep', 'minThreshold', 'maxThreshold', 'minDistBetweenBlobs', 'minArea', 'maxArea',
  'minCircularity', 'maxCircularity', 'minInertiaRatio', 'maxInertiaRatio', 'minConvexity',
  'maxConvexity',
] as const satisfies readonly (keyof BlobParams)[];

/**
 * The seed's parameters with `overrides` applied, float fields rounded to float32 as OpenCV stores
 * them, checked as OpenCV checks them (thresholdStep > 0, minRepeatability >= 1).
 */
export function resolveBlobParams(overrides: Partial<BlobParams> = {}): BlobParams {
  for (const [key, value] of Object.entries(overrides)) {
    const seed: unknown = (SEED_BLOB_PARAMS as Record<string, unknown>)[key];
    if (seed === undefined) {
      throw new BlobParamsError(`Unknown parameter ${key} for the blob detector; it has: ${Object.keys(SEED_BLOB_PARAMS).join(', ')}.`);
    }
    if (typeof value !== typeof seed) {
      throw new BlobParamsError(`Detector parameter ${key} must be a ${typeof seed}, but received ${String(value)}.`);
    }
  }
  const params: BlobParams = { ...SEED_BLOB_PARAMS, ...overrides };
  for (const key of FLOAT_FIELDS) {
    const value = params[key];
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new BlobParamsError(`Detector parameter ${key} must be a number, but received ${String(value)}.`);
    }
    params[key] = Math.fround(value);
  }
  if (!(params.thresholdStep > 0)) {
    throw new BlobParamsError(`Detector parameter thresholdStep must be above 0, but received ${params.thresholdStep}.`);
  }
  if (!Number.isInteger(params.minRepeatability) || params.minRepeatability < 1) {
    throw new BlobParamsError(
      `Detector parameter minRepeatability must be a whole number of at least 1, but received ${params.minRepeatability}.`,
    );
  }
  if (!Number.isInteger(params.blobColor) || params.blobColor < 0 || params.blobColor > 255) {
    throw new BlobParamsError(`Detector parameter blobColor must be 0 to 255, but received ${params.blobColor}.`);
  }
  return params;
}
