/** Pure histogram of integer values (star counts) and its block-character drawing. */

export interface Histogram {
  /** The lowest value of the first bucket. */
  min: number;
  /** The largest value seen. */
  max: number;
  /** Integer values each bucket spans: bucket i holds [min + i·size, min + (i+1)·size - 1]. */
  size: number;
  /** Values per bucket, at most `buckets` of them, the last one holding `max`. */
  counts: number[];
  total: number;
}

/**
 * Equal-width integer buckets from 0 (or the smallest value, if negative) to the largest value:
 * as many as `buckets` allows with a whole number of values each. Empty input gives no buckets.
 */
export function histogram(values: readonly number[], buckets: number): Histogram {
  const n = Math.max(1, Math.floor(buckets));
  if (values.length === 0) return { min: 0, max: 0, size: 1, counts: [], total: 0 };
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  lo = Math.floor(lo);
  hi = Math.floor(hi);
  const size = Math.max(1, Math.ceil((hi - lo + 1) / n));
  const counts = new Array<number>(Math.floor((hi - lo) / size) + 1).fill(0);
  for (const v of values) counts[Math.floor((Math.floor(v) - lo) / size)]!++;
  return { min: lo, max: hi, size, counts, total: values.length };
}

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** How many buckets suit `n` values (the Rice rule, 2·∛n), at most `max`. */
export function bucketCount(n: number, max: number): number {
  return Math.max(1, Math.min(Math.floor(max), Math.ceil(2 * Math.cbrt(Math.max(0, n)))));
}

/**
 * Vertical bars, tallest = `rows` lines, drawn with eighth blocks: `rows` strings (top first),
 * each bucket `barWidth` cells wide followed by `gap` spaces. A non-empty bucket shows at least ▁.
 */
export function histogramRows(counts: readonly number[], rows: number, barWidth = 1, gap = 0): string[] {
  const h = Math.max(0, Math.floor(rows));
  const peak = Math.max(0, ...counts);
  const eighths = counts.map((c) => (c > 0 && peak > 0 ? Math.max(1, Math.round((c / peak) * h * 8)) : 0));
  const lines: string[] = [];
  for (let line = 0; line < h; line++) {
    const floor = (h - 1 - line) * 8; // eighths below this line
    let text = '';
    for (const e of eighths) {
      const here = Math.min(8, Math.max(0, e - floor));
      text += (here === 0 ? ' ' : BLOCKS[here - 1]!).repeat(barWidth) + ' '.repeat(gap);
    }
    lines.push(text);
  }
  return lines;
}
