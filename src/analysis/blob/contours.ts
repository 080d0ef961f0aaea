/**
 * Border following for one threshold level, a faithful port of OpenCV 4.x `findContours`
 * (RETR_LIST, CHAIN_APPROX_NONE): Suzuki–Abe scanning and `icvFetchContour`.
 *
 * Why not call opencv-wasm's findContours: a crowded image yields ~10k contours a level, and the
 * per-contour calls across the JS/wasm boundary cost more than the whole detection. Here a level
 * costs O(its foreground), where OpenCV pays O(image) seventeen times: one pass over the image
 * finds every level's runs of bright pixels, the scan visits only a level's runs (a contour can
 * start only at a run's ends), foreground is read from the grey image itself (`gray > level`)
 * instead of a binarised copy, and the visited-border marks OpenCV writes into that copy carry the
 * level's number, so a new level needs no clearing.
 * test/analysis/contours.test.ts checks this port against opencv-wasm, point by point.
 */

/**
 * Receives each border as it is traced, in discovery order (OpenCV returns them newest first):
 * `points[0 .. length)` holds interleaved x, y in image coordinates and is reused after the call.
 */
import type { RowRuns } from './runs.js';

export type ContourVisitor = (points: Int32Array, length: number) => void;

/** Neighbour offsets in OpenCV's chain-code order: right, up-right, up, up-left, left, … */
const CODE_DX = [1, 1, 0, -1, -1, -1, 0, 1] as const;
const CODE_DY = [0, -1, -1, -1, 0, 1, 1, 1] as const;

/**
 * Work buffers kept between images (a thread runs one detection at a time), so that a stream of
 * images does not allocate and zero two image-sized arrays each. Marks need no clearing: each level
 * stamps a new epoch.
 */
const shared = { gray: new Uint8Array(0), marks: new Uint16Array(0), epoch: 0 };

/**
 * A grey image padded with one pixel of zeros (as findContours pads), plus the per-level border
 * marks. Levels are 0 to 254: the padding is background at every one of them.
 */
export class ContourPlane {
  readonly width: number;
  readonly height: number;
  /** Padded row stride. */
  readonly stride: number;
  /** Padded grey values. */
  private readonly gray: Uint8Array;
  /**
   * OpenCV's border marks, stamped with the level's epoch e: 2e for a visited border pixel, 2e + 1
   * for one whose right neighbour is background (OpenCV's negative mark). Below 2e: unvisited.
   */
  private readonly marks: Uint16Array;
  private readonly deltas: Int32Array;
  private pointBuffer: Int32Array = new Int32Array(1024);
  private level = 0;

  /** The plane reuses the thread's shared buffers: only the newest plane may be traced. */
  constructor(gray: Uint8Array, width: number, height: number) {
    this.width = width;
    this.height = height;
    this.stride = width + 2;
    const size = this.stride * (height + 2);
    if (shared.gray.length < size) {
      shared.gray = new Uint8Array(size);
      shared.marks = new Uint16Array(size);
      shared.epoch = 0;
    }
    this.gray = shared.gray.subarray(0, size);
    this.marks = shared.marks.subarray(0, size);
    this.gray.fill(0, 0, this.stride + 1);
    for (let y = 0; y < height; y++) {
      const row = (y + 1) * this.stride + 1;
      this.gray.set(gray.subarray(y * width, (y + 1) * width), row);
      this.gray[row + width] = 0;
      this.gray[row + width + 1] = 0;
    }
    this.gray.fill(0, (height + 1) * this.stride);
    const d = new Int32Array(16);
    for (let s = 0; s < 8; s++) d[s] = d[s + 8] = CODE_DY[s]! * this.stride + CODE_DX[s]!;
    this.deltas = d;
  }

  /**
   * Traces every border of the level's foreground given as `runs` (findLevelRuns), handing each to
   * `visit` in discovery order. Runs left out (components too small to matter) are not traced.
   */
  trace(level: number, runs: RowRuns, visit: ContourVisitor): void {
    this.level = level;
    if (++shared.epoch > 32000) {
      shared.marks.fill(0);
      shared.epoch = 1;
    }
    const unvisited = 2 * shared.epoch;
    const rightBound = unvisited + 1;
    const { marks, stride } = this;
    for (let r = 0; r < runs.count; r++) {
      const rowBase = (runs.rows[r]! + 1) * stride + 1;
      for (let k = runs.offsets[r]!; k < runs.offsets[r + 1]!; k += 2) {
        const x1 = runs.spans[k + 1]!;
        // An outer border starts where a run begins on an unvisited pixel (OpenCV: prev 0, p 1).
        const first = rowBase + runs.spans[k]!;
        if (marks[first]! < unvisited) this.emit(this.fetch(first, false), visit);
        // A hole border starts on a run's last pixel when it is not a visited right bound
        // (OpenCV: prev >= 1, p 0). OpenCV's scan stops one short of the right padding, so a run
        // that ends at the image's right edge never starts one.
        const last = rowBase + x1 - 1;
        if (x1 < this.width && marks[last] !== rightBound) this.emit(this.fetch(last, true), visit);
      }
    }
  }

  /** Reads `pointBuffer` only after `fetch` returns, since fetch may replace it. */
  private emit(length: number, visit: ContourVisitor): void {
    visit(this.pointBuffer, length);
  }

  /**
   * `icvFetchContour` with nbd = 2, recording every point (CHAIN_APPROX_NONE) into `pointBuffer`
   * (grown first if needed, so callers read `pointBuffer` after the call); returns the count written.
   */
  private fetch(i0: number, isHole: boolean): number {
    const { gray, marks, deltas, stride, level } = this;
    const visited = 2 * shared.epoch;
    const rightBound = visited + 1;
    let x = (i0 % stride) - 1;
    let y = Math.floor(i0 / stride) - 1;
    let s = isHole ? 0 : 4;
    let sEnd = s;
    let i1 = 0;
    do {
      s = (s - 1) & 7;
      i1 = i0 + deltas[s]!;
    } while (gray[i1]! <= level && s !== sEnd);

    if (s === sEnd) {
      marks[i0] = rightBound;
      this.pointBuffer[0] = x;
      this.pointBuffer[1] = y;
      return 2;
    }
    let n = 0;
    let points = this.pointBuffer;
    let i3 = i0;
    let i4 = 0;
    for (;;) {
      sEnd = s;
      while (s < 15) {
        i4 = i3 + deltas[++s]!;
        if (gray[i4]! > level) break;
      }
      s &= 7;
      if (s - 1 >>> 0 < sEnd >>> 0) marks[i3] = rightBound;
      else if (marks[i3]! < visited) marks[i3] = visited;

      if (n + 2 > points.length) points = this.pointBuffer = grow(points);
      points[n++] = x;
      points[n++] = y;
      x += CODE_DX[s]!;
      y += CODE_DY[s]!;

      if (i4 === i0 && i3 === i1) break;
      i3 = i4;
      s = (s + 4) & 7;
    }
    return n;
  }
}

export function grow(array: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}
