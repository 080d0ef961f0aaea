import { detectBlobs, type GrayImage } from './blob/detect.js';
import type { Keypoint } from './blob/groups.js';
import { resolveBlobParams, type BlobParams } from './blob/params.js';

export type { Keypoint };

/** Which detector to run and its parameter overrides: plain data, sent to the workers. */
export type DetectorSpec = { name: 'blob'; params?: Partial<BlobParams> };

export type DetectorName = DetectorSpec['name'];

export const DETECTOR_NAMES: readonly DetectorName[] = ['blob'];

/** A detector ready to run: its name, its resolved parameters (as reported), and the function. */
export interface Detector {
  readonly name: DetectorName;
  readonly params: Readonly<Record<string, number | boolean>>;
  detect(image: GrayImage): Keypoint[];
}

/** Resolves a spec into a detector; throws E_DETECTOR_PARAMS on bad parameters. */
export function createDetector(spec: DetectorSpec): Detector {
  switch (spec.name) {
    case 'blob': {
      const params = resolveBlobParams(spec.params);
      return { name: 'blob', params, detect: (image) => detectBlobs(image, params) };
    }
  }
}
