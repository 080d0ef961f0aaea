/**
 * Border following for one threshold level, a faithful port of OpenCV 4.x `findContours`
 * (RETR_LIST, CHAIN_APPROX_NONE): Suzuki–Abe scanning and `icvFetchContour`.
 *
 * Why not call opencv-wasm's findContours: a crowded image yields ~10k contours a level, and the
 * per-contour calls across the JS/wasm boundary cost more than the whole detection. Here a level
 * costs O(its foreground), where OpenCV pays O(image) seventeen times: the scan visits only the
 * level's runs of bright pixels (a contour can start only at a run's ends), foreground is read from
 * the grey image itself (`gray > level`) instead of a binarised copy, and the visited-border marks
 * OpenCV writes into that copy are kept aside and undone border by border.
 * test/analysis/contours.test.ts checks this port against opencv-wasm, point by point.
 */

/**
 * Receives each border as it is traced, in discovery order (OpenCV returns them newest first):
 * `points[0 .. length)` holds interleaved x, y in image coordinates and is reused after the call.
 */
export type ContourVisitor = (points: Int32Array, length: number) => void;

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

/** Neighbour offsets in OpenCV's chain-code order: right, up-right, up, up-left, left, … */
const CODE_DX = [1, 1, 0, -1, -1, -1, 0, 1] as const;
const CODE_DY = [0, -1, -1, -1, 0, 1, 1, 1] as const;
/** OpenCV's mark for a visited border pixel whose right neighbour is background ((schar)(2 | -128)). */
const RIGHT_BOUND = -126;
const VISITED = 2;

/**
 * A grey image padded with one pixel that is never foreground (findContours pads with zeros), plus
 * the per-level border marks.
 */
export class ContourPlane {
  readonly width: number;
  readonly height: number;
  /** Padded row stride. */
  readonly stride: number;
  /** Padded grey values; the padding is -1 so that it is background at every level. */
  private readonly gray: Int16Array;
  /** 0 unvisited, VISITED or RIGHT_BOUND; reset after each level. */
  private readonly marks: Int8Array;
  private readonly deltas: Int32Array;
  private marked: Int32Array = new Int32Array(4096);
  private markedCount = 0;
  private pointBuffer: Int32Array = new Int32Array(1024);
  private level = 0;

  constructor(gray: Uint8Array, width: number, height: number) {
    this.width = width;
    this.height = height;
    this.stride = width + 2;
    this.gray = new Int16Array(this.stride * (height + 2)).fill(-1);
    for (let y = 0; y < height; y++) {
      this.gray.set(gray.subarray(y * width, (y + 1) * width), (y + 1) * this.stride + 1);
    }
    this.marks = new Int8Array(this.gray.length);
    const d = new Int32Array(16);
    for (let s = 0; s < 8; s++) d[s] = d[s + 8] = CODE_DY[s]! * this.stride + CODE_DX[s]!;
    this.deltas = d;
  }

  /**
   * The runs of pixels brighter than `level` (OpenCV THRESH_BINARY: value > level), looking only
   * inside `within` (a lower level's runs, which hold every brighter pixel) or the whole image.
   */
  findRuns(level: number, within?: RowRuns): RowRuns {
    const out = new RunsBuilder();
    if (!within) {
      for (let y = 0; y < this.height; y++) this.scanSpan(level, y, 0, this.width, out);
      return out.build();
    }
    for (let r = 0; r < within.count; r++) {
      for (let k = within.offsets[r]!; k < within.offsets[r + 1]!; k += 2) {
        this.scanSpan(level, within.rows[r]!, within.spans[k]!, within.spans[k + 1]!, out);
      }
    }
    return out.build();
  }

  private scanSpan(level: number, y: number, from: number, to: number, out: RunsBuilder): void {
    const { gray } = this;
    const base = (y + 1) * this.stride + 1;
    const end = base + to;
    let i = base + from;
    while (i < end) {
      while (i < end && gray[i]! <= level) i++;
      if (i >= end) break;
      const x0 = i - base;
      while (i < end && gray[i]! > level) i++;
      out.span(y, x0, i - base);
    }
  }

  /**
   * Traces every border of the level's foreground (`runs` must be `findRuns(level)`), handing each
   * to `visit` in discovery order, then clears the marks for the next level.
   */
  trace(level: number, runs: RowRuns, visit: ContourVisitor): void {
    this.level = level;
    const { marks, stride } = this;
    for (let r = 0; r < runs.count; r++) {
      const rowBase = (runs.rows[r]! + 1) * stride + 1;
      for (let k = runs.offsets[r]!; k < runs.offsets[r + 1]!; k += 2) {
        const x1 = runs.spans[k + 1]!;
        // An outer border starts where a run begins on an unvisited pixel (OpenCV: prev 0, p 1).
        const first = rowBase + runs.spans[k]!;
        if (marks[first] === 0) this.emit(this.fetch(first, false), visit);
        // A hole border starts on a run's last pixel when it is not a visited right bound
        // (OpenCV: prev >= 1, p 0). OpenCV's scan stops one short of the right padding, so a run
        // that ends at the image's right edge never starts one.
        const last = rowBase + x1 - 1;
        if (x1 < this.width && marks[last] !== RIGHT_BOUND) this.emit(this.fetch(last, true), visit);
      }
    }
    for (let i = 0; i < this.markedCount; i++) marks[this.marked[i]!] = 0;
    this.markedCount = 0;
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
      this.mark(i0, RIGHT_BOUND);
      this.pointBuffer[0] = x;
      this.pointBuffer[1] = y;
      return 2;
    }
    let n = 0;
    let i3 = i0;
    let i4 = 0;
    for (;;) {
      sEnd = s;
      while (s < 15) {
        i4 = i3 + deltas[++s]!;
        if (gray[i4]! > level) break;
      }
      s &= 7;
      if (s - 1 >>> 0 < sEnd >>> 0) this.mark(i3, RIGHT_BOUND);
      else if (marks[i3] === 0) this.mark(i3, VISITED);

      if (n + 2 > this.pointBuffer.length) this.pointBuffer = grow(this.pointBuffer);
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

  private mark(i: number, value: number): void {
    if (this.marks[i] === 0) {
      if (this.markedCount === this.marked.length) this.marked = grow(this.marked);
      this.marked[this.markedCount++] = i;
    }
    this.marks[i] = value;
  }
}

function grow(array: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}

/** Collects runs into typed arrays without a JS array per row. */
class RunsBuilder {
  private rows = new Int32Array(256);
  private offsets = new Int32Array(257);
  private spans = new Int32Array(1024);
  private count = 0;
  private spanCount = 0;

  span(y: number, x0: number, x1: number): void {
    if (this.count === 0 || this.rows[this.count - 1] !== y) {
      if (this.count + 1 >= this.rows.length) {
        this.rows = grow(this.rows);
        this.offsets = grow(this.offsets);
      }
      this.rows[this.count++] = y;
    }
    if (this.spanCount + 2 > this.spans.length) this.spans = grow(this.spans);
    this.spans[this.spanCount++] = x0;
    this.spans[this.spanCount++] = x1;
    this.offsets[this.count] = this.spanCount;
  }

  build(): RowRuns {
    return {
      count: this.count,
      rows: this.rows.subarray(0, this.count),
      offsets: this.offsets.subarray(0, this.count + 1),
      spans: this.spans.subarray(0, this.spanCount),
    };
  }
}
