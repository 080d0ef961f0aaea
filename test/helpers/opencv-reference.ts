import { createRequire } from 'node:module';

/** The opencv-wasm calls the tests use as the reference for the JS ports (typed here, `any` upstream). */
interface CvMat {
  data32S: Int32Array;
  delete(): void;
}
interface CvMatVector {
  size(): number;
  get(i: number): CvMat;
  delete(): void;
}
interface ReferenceCv {
  Mat: new () => CvMat;
  MatVector: new () => CvMatVector;
  matFromArray(rows: number, cols: number, type: number, data: number[]): CvMat;
  findContours(image: CvMat, contours: CvMatVector, hierarchy: CvMat, mode: number, method: number): void;
  moments(contour: CvMat): { m00: number; m10: number; m01: number; mu20: number; mu11: number; mu02: number };
  convexHull(points: CvMat, hull: CvMat, clockwise: boolean, returnPoints: boolean): void;
  contourArea(contour: CvMat): number;
  arcLength(contour: CvMat, closed: boolean): number;
  CV_8UC1: number;
  CV_32SC2: number;
  RETR_LIST: number;
  CHAIN_APPROX_NONE: number;
}

export const cvRef = createRequire(import.meta.url)('opencv-wasm').cv as ReferenceCv;

/** opencv-wasm's findContours(RETR_LIST, CHAIN_APPROX_NONE) of `gray > 0`, each as [x, y, x, y, …]. */
export function referenceContours(gray: Uint8Array, width: number, height: number): number[][] {
  const image = cvRef.matFromArray(height, width, cvRef.CV_8UC1, Array.from(gray));
  const contours = new cvRef.MatVector();
  const hierarchy = new cvRef.Mat();
  try {
    cvRef.findContours(image, contours, hierarchy, cvRef.RETR_LIST, cvRef.CHAIN_APPROX_NONE);
    const out: number[][] = [];
    for (let i = 0; i < contours.size(); i++) {
      const c = contours.get(i);
      out.push(Array.from(c.data32S));
      c.delete();
    }
    return out;
  } finally {
    image.delete();
    contours.delete();
    hierarchy.delete();
  }
}

/** Runs `use` with the points as an opencv-wasm CV_32SC2 Mat. */
export function withPointsMat<T>(points: readonly number[], use: (mat: CvMat) => T): T {
  const mat = cvRef.matFromArray(points.length / 2, 1, cvRef.CV_32SC2, [...points]);
  try {
    return use(mat);
  } finally {
    mat.delete();
  }
}

/** A small deterministic pseudo-random generator (LCG), so that failures can be replayed by seed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}
