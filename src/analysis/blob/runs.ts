import { grow } from './contours.js';

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
 * The runs of pixels brighter than each of `levels` (ascending; OpenCV's THRESH_BINARY: value >
 * level), leaving out every component of the lowest level whose bounding box is too small to hold
 * a contour of `minArea` (a polygon through the centres of a w×h box of pixels encloses at most
 * (w−1)(h−1)); the brighter levels lie inside the lowest one, so their parts there go too. Those
 * specks of noise are most of a star field's contours, and every one would be rejected by area.
 * Pass minArea 0 to keep everything.
 *
 * One pass finds the lowest level's runs; a second pass over the kept runs finds every level's at
 * once: a pixel's value says how many levels it is above, and a run opens or closes at a level only
 * where that count changes between neighbours.
 */
export function findLevelRuns(
  gray: Uint8Array,
  width: number,
  height: number,
  levels: readonly number[],
  minArea: number,
): RowRuns[] {
  if (levels.length === 0) return [];
  const lowest = new RunsBuilder();
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let x = 0;
    while (x < width) {
      while (x < width && gray[row + x]! <= levels[0]!) x++;
      if (x >= width) break;
      const x0 = x;
      while (x < width && gray[row + x]! > levels[0]!) x++;
      lowest.span(y, x0, x);
    }
  }
  const base = lowest.build();
  const keep = minArea > 0 ? largeEnough(base, minArea) : new Uint8Array(base.spans.length / 2).fill(1);

  const above = new Uint16Array(256);
  for (let v = 0; v < 256; v++) above[v] = levels.filter((level) => v > level).length;
  const builders = levels.map(() => new RunsBuilder());
  const starts = new Int32Array(levels.length);
  for (let r = 0; r < base.count; r++) {
    const y = base.rows[r]!;
    const row = y * width;
    for (let k = base.offsets[r]!; k < base.offsets[r + 1]!; k += 2) {
      if (!keep[k >> 1]) continue;
      const x1 = base.spans[k + 1]!;
      let open = 0;
      for (let x = base.spans[k]!; x < x1; x++) {
        const count = above[gray[row + x]!]!;
        if (count === open) continue;
        for (let j = open; j < count; j++) starts[j] = x;
        for (let j = count; j < open; j++) builders[j]!.span(y, starts[j]!, x);
        open = count;
      }
      for (let j = 0; j < open; j++) builders[j]!.span(y, starts[j]!, x1);
    }
  }
  return builders.map((builder) => builder.build());
}

/**
 * For each span of `runs`, 1 when its 8-connected component's bounding box could hold a contour of
 * `minArea`. Components are found by union–find over spans that touch between adjacent rows.
 */
export function largeEnough(runs: RowRuns, minArea: number): Uint8Array {
  const n = runs.spans.length / 2;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  for (let r = 1; r < runs.count; r++) {
    if (runs.rows[r] !== runs.rows[r - 1]! + 1) continue;
    let a = runs.offsets[r - 1]!;
    let b = runs.offsets[r]!;
    const aEnd = runs.offsets[r]!;
    const bEnd = runs.offsets[r + 1]!;
    while (a < aEnd && b < bEnd) {
      // 8-connected: [a0, a1) and [b0, b1) touch when b0 <= a1 and a0 <= b1.
      if (runs.spans[b]! <= runs.spans[a + 1]! && runs.spans[a]! <= runs.spans[b + 1]!) {
        parent[find(a >> 1)] = find(b >> 1);
      }
      if (runs.spans[a + 1]! < runs.spans[b + 1]!) a += 2;
      else b += 2;
    }
  }
  const minX = new Int32Array(n).fill(0x7fffffff);
  const maxX = new Int32Array(n).fill(-1);
  const minY = new Int32Array(n).fill(0x7fffffff);
  const maxY = new Int32Array(n).fill(-1);
  for (let r = 0; r < runs.count; r++) {
    const y = runs.rows[r]!;
    for (let k = runs.offsets[r]!; k < runs.offsets[r + 1]!; k += 2) {
      const root = find(k >> 1);
      minX[root] = Math.min(minX[root]!, runs.spans[k]!);
      maxX[root] = Math.max(maxX[root]!, runs.spans[k + 1]! - 1);
      minY[root] = Math.min(minY[root]!, y);
      maxY[root] = Math.max(maxY[root]!, y);
    }
  }
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const root = find(i);
    keep[i] = (maxX[root]! - minX[root]!) * (maxY[root]! - minY[root]!) >= minArea ? 1 : 0;
  }
  return keep;
}

/** Collects runs, row by row, into typed arrays. */
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
