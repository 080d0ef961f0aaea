/** Pure braille rendering of a luminance thumbnail: 2×4 dots a character cell, stars marked. */
import { maskedStars } from '../analysis/star-mask.js';

/** What `brailleImage` draws: a row-major 8-bit luminance picture and where its stars are. */
export interface BrailleSource {
  width: number;
  height: number;
  data: Uint8Array;
  /** A starMask of the picture (src/analysis/star-mask.ts). */
  stars: Uint8Array;
}

export interface BrailleOptions {
  /** Dots brighter than this are lit. @default brailleThreshold(data) */
  threshold?: number;
  /**
   * A character to draw in each cell that holds a star centre, e.g. STAR_MARK. Without one, the
   * star's own dot is lit and the cell is listed in `marks` (the component colours it).
   */
  mark?: string;
}

export interface BrailleImage {
  /** `rows` strings of `cols` characters: braille cells (or `mark` where a star is, if given). */
  lines: string[];
  /** The marked cells, each once, in row then column order. */
  marks: { col: number; row: number }[];
  threshold: number;
}

/** The default star mark: a single-width four-pointed star. */
export const STAR_MARK = '✦';

const BLANK = 0x2800;
/** Dot bits by [dy][dx] within a cell (Unicode braille numbering: 1 2 3 7 down the left, 4 5 6 8 down the right). */
const DOT_BITS = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
] as const;

/**
 * The luminance above which a dot is lit: the 90th percentile, but at least 12 above the median,
 * so that a flat or noisy background stays dark and a starfield shows its stars.
 */
export function brailleThreshold(data: Uint8Array): number {
  if (data.length === 0) return 255;
  const counts = new Uint32Array(256);
  for (const v of data) counts[v]!++;
  const at = (q: number): number => {
    const rank = Math.min(data.length - 1, Math.floor(q * data.length));
    let seen = 0;
    for (let v = 0; v < 256; v++) {
      seen += counts[v]!;
      if (seen > rank) return v;
    }
    return 255;
  };
  return Math.min(255, Math.max(at(0.9), at(0.5) + 12));
}

/**
 * Draws `image` in `cols × rows` braille cells. Each dot takes the brightest thumbnail pixel it
 * covers (so a one-pixel star survives shrinking) and is lit above the threshold; each star lights
 * the dot at its centre, whatever its brightness, and its cell is marked.
 */
export function brailleImage(image: BrailleSource, cols: number, rows: number, options: BrailleOptions = {}): BrailleImage {
  const c = Math.max(0, Math.floor(cols));
  const r = Math.max(0, Math.floor(rows));
  const threshold = options.threshold ?? brailleThreshold(image.data);
  const mark = options.mark;
  const dotsW = c * 2;
  const dotsH = r * 4;
  const cells = new Uint16Array(c * r);
  if (image.width > 0 && image.height > 0 && c > 0 && r > 0) {
    // The thumbnail columns and rows each dot covers, [start, end).
    const span = (dots: number, size: number): Int32Array => {
      const edges = new Int32Array(dots + 1);
      for (let i = 0; i <= dots; i++) edges[i] = Math.floor((i * size) / dots);
      return edges;
    };
    const xs = span(dotsW, image.width);
    const ys = span(dotsH, image.height);
    for (let dy = 0; dy < dotsH; dy++) {
      const y0 = ys[dy]!;
      const y1 = Math.max(y0 + 1, ys[dy + 1]!);
      for (let dx = 0; dx < dotsW; dx++) {
        const x0 = xs[dx]!;
        const x1 = Math.max(x0 + 1, xs[dx + 1]!);
        let max = 0;
        for (let y = y0; y < y1; y++) {
          const row = y * image.width;
          for (let x = x0; x < x1; x++) max = Math.max(max, image.data[row + x] ?? 0);
        }
        if (max > threshold) cells[(dy >> 2) * c + (dx >> 1)]! |= DOT_BITS[dy & 3]![dx & 1]!;
      }
    }
  }
  const marked = new Set<number>();
  if (image.width > 0 && image.height > 0) {
    // Each star at its mask cell's centre: at the preview's largest (2 dots a pixel), that cell's dot.
    for (const star of maskedStars(image.stars, image.width, image.height)) {
      const dx = Math.floor((star.x / image.width) * dotsW);
      const dy = Math.floor((star.y / image.height) * dotsH);
      if (dx < 0 || dx >= dotsW || dy < 0 || dy >= dotsH) continue;
      const cell = (dy >> 2) * c + (dx >> 1);
      cells[cell]! |= DOT_BITS[dy & 3]![dx & 1]!;
      marked.add(cell);
    }
  }
  const lines: string[] = [];
  for (let row = 0; row < r; row++) {
    let line = '';
    for (let col = 0; col < c; col++) {
      const i = row * c + col;
      line += mark !== undefined && marked.has(i) ? mark : String.fromCharCode(BLANK + cells[i]!);
    }
    lines.push(line);
  }
  const marks = [...marked].sort((a, b) => a - b).map((i) => ({ col: i % c, row: Math.floor(i / c) }));
  return { lines, marks, threshold };
}

/**
 * The largest braille size within `maxCols × maxRows` that keeps the picture's aspect (braille
 * dots are about square in a terminal cell of 1:2), at least 1×1.
 */
export function fitBraille(width: number, height: number, maxCols: number, maxRows: number): { cols: number; rows: number } {
  const mc = Math.max(1, Math.floor(maxCols));
  const mr = Math.max(1, Math.floor(maxRows));
  if (width <= 0 || height <= 0) return { cols: mc, rows: mr };
  // cols × 2 dots wide over rows × 4 dots tall = width / height.
  let rows = mr;
  let cols = Math.round((2 * rows * width) / height);
  if (cols > mc) {
    cols = mc;
    rows = Math.min(mr, Math.round((cols * height) / (2 * width)));
  }
  return { cols: Math.max(1, cols), rows: Math.max(1, rows) };
}

/** Each line of a picture cut into runs of star cells and other cells, for colouring. */
export function brailleRuns(picture: BrailleImage): { text: string; star: boolean }[][] {
  const starCols: number[][] = picture.lines.map(() => []);
  for (const m of picture.marks) starCols[m.row]?.push(m.col);
  return picture.lines.map((line, row) => {
    const chars = [...line];
    const stars = new Set(starCols[row]);
    const runs: { text: string; star: boolean }[] = [];
    chars.forEach((ch, col) => {
      const star = stars.has(col);
      const last = runs[runs.length - 1];
      if (last && last.star === star) last.text += ch;
      else runs.push({ text: ch, star });
    });
    return runs;
  });
}

/** Whether stars are few enough to draw each as STAR_MARK (at most one cell in `share`) rather than as lit dots. */
export function sparseStars(marks: number, cols: number, rows: number, share = 10): boolean {
  return marks * share <= cols * rows;
}
