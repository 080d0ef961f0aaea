import { detectBlobs, type GrayImage } from './blob/detect.js';
import type { Keypoint as BlobKeypoint } from './blob/groups.js';
import { resolveBlobParams, type BlobParams } from './blob/params.js';
import { detectSky, type SkyKeypoint } from './sky/detect.js';
import { resolveSkyParams, type SkyParams } from './sky/params.js';

/**
 * A detected star: centre and circle diameter from every detector; `sky` adds its measurements
 * (blob's keypoints carry only x, y and size, exactly as OpenCV's).
 */
export type Keypoint = BlobKeypoint & Partial<Omit<SkyKeypoint, keyof BlobKeypoint>>;

/** Which detector to run and its parameter overrides: plain data, sent to the workers. */
export type DetectorSpec = { name: 'blob'; params?: Partial<BlobParams> } | { name: 'sky'; params?: Partial<SkyParams> };

export type DetectorName = DetectorSpec['name'];

export const DETECTOR_NAMES: readonly DetectorName[] = ['blob', 'sky'];

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
    case 'sky': {
      const params = resolveSkyParams(spec.params);
      return { name: 'sky', params, detect: (image) => detectSky(image, params) };
    }
  }
}
