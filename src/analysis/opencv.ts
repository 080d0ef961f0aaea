import { createRequire } from 'node:module';

/** The part of opencv-wasm stardash uses (its own typings declare everything `any`). */
export interface CV {
  Mat: new (rows: number, cols: number, type: number) => CvMat;
  Point: new (x: number, y: number) => object;
  Scalar: new (...values: number[]) => object;
  CV_8UC3: number;
  /** The wasm heap: a fixed 128 MiB in opencv-wasm (it cannot grow), so keep Mats small. */
  HEAP32: Int32Array;
  _emscripten_get_sbrk_ptr(): number;
  LINE_AA: number;
  circle(
    img: CvMat,
    center: object,
    radius: number,
    color: object,
    thickness: number,
    lineType: number,
    shift: number,
  ): void;
}

/** A Mat lives in the wasm heap: every one must be `delete()`d. */
export interface CvMat {
  readonly rows: number;
  readonly cols: number;
  /** A view into the wasm heap, valid until the heap grows or the Mat is deleted. */
  readonly data: Uint8Array;
  delete(): void;
}

let loaded: CV | undefined;

/** opencv-wasm compiles synchronously (it is CommonJS) on first use; later calls reuse it. */
export function opencv(): CV {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    loaded = (require('opencv-wasm') as { cv: CV }).cv;
  }
  return loaded;
}

/**
 * The wasm heap's break: the top of the memory malloc has taken. It rises when allocations outgrow
 * the freed space and never falls, so a steady value over many images means no Mat was leaked.
 */
export function wasmHeapBreak(cv: CV): number {
  return cv.HEAP32[cv._emscripten_get_sbrk_ptr() >> 2]!;
}

/** Runs `use` with a new Mat and deletes the Mat afterwards, whatever happens. */
export function withMat<T>(cv: CV, rows: number, cols: number, type: number, use: (mat: CvMat) => T): T {
  const mat = new cv.Mat(rows, cols, type);
  try {
    return use(mat);
  } finally {
    mat.delete();
  }
}
