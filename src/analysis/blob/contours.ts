/**
 * Border following for one threshold level, a faithful port of OpenCV 4.x `findContours`
 * (RETR_LIST, CHAIN_APPROX_NONE): Suzuki–Abe scanning and `icvFetchContour`.
 *
 * Why not call opencv-wasm's findContours: a crowded image yields ~10k contours a level, and the
 * per-contour calls across the JS/wasm boundary cost more than the whole detection. Scanning only
 * the foreground runs of the level (not every pixel) also makes a level cost O(foreground), where
 * OpenCV pays O(image). test/analysis/contours.test.ts checks this port against opencv-wasm's
 * findContours, contour by contour and point by point.
 */

/**
 * Receives each border as it is traced, in discovery order (OpenCV returns them newest first):
 * `points[0 .. length)` holds interleaved x, y in image coordinates and is reused after the call.
 */
export type ContourVisitor = (points: Int32Array, length: number) => void;

/** Neighbour offsets in OpenCV's chain-code order: right, up-right, up, up-left, left, … */
const CODE_DX = [1, 1, 0, -1, -1, -1, 0, 1] as const;
const CODE_DY = [0, -1, -1, -1, 0, 1, 1, 1] as const;

/**
 * A padded binary plane (one pixel of zeros around the image, as findContours adds) that is
 * reused across levels: only the foreground of a level is written, and cleared after.
 */
export class ContourPlane {
  readonly width: number;
  readonly height: number;
  /** Padded row stride. */
  readonly stride: number;
  /** 0 background, 1 unvisited foreground, 2 visited border, -126 visited right-bound border. */
  readonly cells: Int8Array;
  private readonly deltas: Int32Array;
  private pointBuffer: Int32Array;

  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.stride = width + 2;
    this.cells = new Int8Array(this.stride * (height + 2));
    const d = new Int32Array(16);
    for (let s = 0; s < 8; s++) d[s] = d[s + 8] = CODE_DY[s]! * this.stride + CODE_DX[s]!;
    this.deltas = d;
    this.pointBuffer = new Int32Array(1024);
  }

  /**
   * Traces every border of the foreground given as runs (per row, pairs of [x0, x1) spans in image
   * coordinates, rows ascending), handing each to `visit` in discovery order.
   * The runs must already be written into `cells` as 1 (see `fill`).
   */
  trace(runs: RowRuns, visit: ContourVisitor): void {
    const { cells, stride } = this;
    for (let r = 0; r < runs.count; r++) {
      const y = runs.rows[r]!;
      const rowBase = (y + 1) * stride + 1;
      const begin = runs.offsets[r]!;
      const end = runs.offsets[r + 1]!;
      for (let k = begin; k < end; k += 2) {
        const x0 = runs.spans[k]!;
        const x1 = runs.spans[k + 1]!;
        // An outer border starts where a run begins on an unvisited pixel (OpenCV: prev 0, p 1).
        const first = rowBase + x0;
        if (cells[first] === 1) this.emit(this.fetch(first, false), visit);
        // A hole border starts on the run's last pixel when the pixel after it is background and the
        // last pixel is not a visited right bound (OpenCV: prev >= 1, p 0).
        // OpenCV's scan stops one short of the right padding, so a run that ends at the image's
        // right edge never starts a hole there.
        const last = rowBase + x1 - 1;
        if (x1 < this.width && cells[last]! >= 1) this.emit(this.fetch(last, true), visit);
      }
    }
  }

  /** Hands the buffer to the visitor only after `fetch` is done, as fetch may grow it. */
  private emit(length: number, visit: ContourVisitor): void {
    visit(this.pointBuffer, length);
  }

  /**
   * `icvFetchContour` with nbd = 2, recording every point (CHAIN_APPROX_NONE) into `pointBuffer`;
   * returns how many numbers it wrote.
   */
  private fetch(i0: number, isHole: boolean): number {
    const { cells, deltas, stride } = this;
    let x = (i0 % stride) - 1;
    let y = Math.floor(i0 / stride) - 1;
    let n = 0;
    let s = isHole ? 0 : 4;
    let sEnd = s;
    let i1 = 0;
    do {
      s = (s - 1) & 7;
      i1 = i0 + deltas[s]!;
    } while (cells[i1] === 0 && s !== sEnd);

    if (s === sEnd) {
      cells[i0] = -126;
      this.pointBuffer[0] = x;
      this.pointBuffer[1] = y;
      return 2;
    }
    let i3 = i0;
    let i4 = 0;
    for (;;) {
      sEnd = s;
      while (s < 15) {
        i4 = i3 + deltas[++s]!;
        if (cells[i4] !== 0) break;
      }
      s &= 7;
      if (s - 1 >>> 0 < sEnd >>> 0) cells[i3] = -126;
      else if (cells[i3] === 1) cells[i3] = 2;

      if (n + 2 > this.pointBuffer.length) {
        const grown = new Int32Array(this.pointBuffer.length * 2);
        grown.set(this.pointBuffer);
        this.pointBuffer = grown;
      }
      this.pointBuffer[n++] = x;
      this.pointBuffer[n++] = y;
      x += CODE_DX[s]!;
      y += CODE_DY[s]!;

      if (i4 === i0 && i3 === i1) break;
      i3 = i4;
      s = (s + 4) & 7;
    }
    return n;
  }

  /** Writes 1 over every run (the level's foreground). */
  fill(runs: RowRuns): void {
    this.paint(runs, 1);
  }

  /** Resets every run's cells to 0, leaving the plane clean for the next level. */
  clear(runs: RowRuns): void {
    this.paint(runs, 0);
  }

  private paint(runs: RowRuns, value: number): void {
    for (let r = 0; r < runs.count; r++) {
      const rowBase = (runs.rows[r]! + 1) * this.stride + 1;
      for (let k = runs.offsets[r]!; k < runs.offsets[r + 1]!; k += 2) {
        this.cells.fill(value, rowBase + runs.spans[k]!, rowBase + runs.spans[k + 1]!);
      }
    }
  }
}

/**
 * The foreground of one level as horizontal runs: row r (of `count`) is image row `rows[r]`, and its
 * spans are `spans[offsets[r] .. offsets[r+1])` as [x0, x1) pairs.
 */
export interface RowRuns {
  readonly count: number;
  readonly rows: Int32Array;
  readonly offsets: Int32Array;
  readonly spans: Int32Array;
}

/**
 * The runs of pixels brighter than `threshold` (OpenCV THRESH_BINARY: value > threshold), looking
 * only inside `within` (the previous, lower level's runs) or, without it, over the whole image.
 */
export function findRuns(
  gray: Uint8Array,
  width: number,
  height: number,
  threshold: number,
  within?: RowRuns,
): RowRuns {
  const rows: number[] = [];
  const offsets: number[] = [0];
  const spans: number[] = [];
  const scan = (y: number, from: number, to: number): void => {
    const base = y * width;
    let x = from;
    while (x < to) {
      while (x < to && gray[base + x]! <= threshold) x++;
      if (x >= to) break;
      const x0 = x;
      while (x < to && gray[base + x]! > threshold) x++;
      spans.push(x0, x);
    }
  };
  const count = within ? within.count : height;
  for (let r = 0; r < count; r++) {
    const before = spans.length;
    const y = within ? within.rows[r]! : r;
    if (within) {
      for (let k = within.offsets[r]!; k < within.offsets[r + 1]!; k += 2) {
        scan(y, within.spans[k]!, within.spans[k + 1]!);
      }
    } else {
      scan(y, 0, width);
    }
    if (spans.length > before) {
      rows.push(y);
      offsets.push(spans.length);
    }
  }
  return {
    count: rows.length,
    rows: Int32Array.from(rows),
    offsets: Int32Array.from(offsets),
    spans: Int32Array.from(spans),
  };
}
