/**
 * The sky behind the stars, as SExtractor and SEP estimate it: the image is cut into a mesh of
 * cells; in each, the pixels' histogram is clipped at 3σ around its median until stable (so stars
 * drop out), giving a level (the mode, 2.5·median − 1.5·mean, or the median in a crowded cell) and
 * a noise σ; cells mostly covered by something bright take their neighbours' values; a median
 * filter over the mesh removes what a single bright star left; bilinear interpolation between cell
 * centres gives a level at every pixel. These are the building blocks; coarse.ts applies them.
 */

export interface SkyStats {
  /** The sky level (grey levels). */
  level: number;
  /** The noise's standard deviation (grey levels). */
  sigma: number;
  /** The share of the pixels left after clipping. */
  kept: number;
}

/** Cells keeping less than this share of their pixels after clipping are covered by a large object. */
const MIN_KEPT = 0.5;
/** Noise never below this: a perfectly flat (synthetic) sky would make every speck significant. */
const MIN_SIGMA = 0.5;

/**
 * The 3σ-clipped sky level and noise of a histogram of 8-bit values. The count, sum and sum of
 * squares of the bins lo…hi are taken once and then only corrected by the bins each clipping step
 * drops or takes back, and the median's bin is found by walking from the last one: each iteration
 * costs the bins the range's edges and the median move by, not a walk over the whole range (all
 * sums are of whole numbers: exact, the same as a fresh sum over lo…hi).
 */
export function clippedStats(hist: ArrayLike<number>): SkyStats {
  const bins = hist.length;
  let n = 0;
  let sum = 0;
  let square = 0;
  for (let v = 0; v < bins; v++) {
    const c = hist[v]!;
    n += c;
    sum += c * v;
    square += c * v * v;
  }
  const total = n;
  if (total === 0) return { level: 0, sigma: MIN_SIGMA, kept: 0 };
  let lo = 0;
  let hi = bins - 1;
  // The median's bin m and the pixels in bins lo…m − 1.
  let m = 0;
  let below = 0;
  let mean = 0;
  let median = 0;
  let sigma = 0;
  for (let iteration = 0; iteration < 30; iteration++) {
    mean = sum / n;
    sigma = Math.sqrt(Math.max(0, square / n - mean * mean));
    // The first bin a of lo…hi where the running count reaches n / 2, each bin spread evenly over
    // [a − ½, a + ½]; hi when there is none or that bin is empty (as a bisection over running counts).
    const half = n / 2;
    if (m < lo) {
      m = lo;
      below = 0;
    } else if (m > hi) {
      for (; m > hi; m--) below -= hist[m - 1]!;
    }
    while (m > lo && below >= half) below -= hist[--m]!;
    while (m < hi && below + hist[m]! < half) below += hist[m++]!;
    const c = hist[m]!;
    median = !(c > 0) || below + c < half ? hi : m - 0.5 + (half - below) / c;
    const nextLo = Math.max(0, Math.ceil(median - 3 * sigma));
    const nextHi = Math.min(bins - 1, Math.floor(median + 3 * sigma));
    if ((nextLo === lo && nextHi === hi) || nextHi < nextLo) break;
    // The range's edges move: bins dropped come off the sums, bins taken back go on.
    for (; lo < nextLo; lo++) {
      const c = hist[lo]!;
      n -= c;
      sum -= c * lo;
      square -= c * lo * lo;
      if (lo < m) below -= c;
    }
    for (; lo > nextLo; ) {
      const c = hist[--lo]!;
      n += c;
      sum += c * lo;
      square += c * lo * lo;
      if (lo < m) below += c;
    }
    for (; hi > nextHi; hi--) {
      const c = hist[hi]!;
      n -= c;
      sum -= c * hi;
      square -= c * hi * hi;
    }
    for (; hi < nextHi; ) {
      const c = hist[++hi]!;
      n += c;
      sum += c * hi;
      square += c * hi * hi;
    }
  }
  // SExtractor's mode estimate, unless stars crowd the cell enough to skew it.
  const level = sigma > 0 && Math.abs(mean - median) < 0.3 * sigma ? 2.5 * median - 1.5 * mean : median;
  return { level, sigma: Math.max(MIN_SIGMA, sigma), kept: n / total };
}

/** Where cell i of n over `size` pixels starts. */
export const edge = (i: number, n: number, size: number): number => Math.floor((i * size) / n);

/** Cells under a large object take the mean of their nearest good neighbours (ring by ring). */
export function fillCoveredCells(cells: readonly SkyStats[], columns: number, rows: number): SkyStats[] {
  const good = cells.filter((c) => c.kept >= MIN_KEPT);
  if (good.length === 0 || good.length === cells.length) return [...cells];
  return cells.map((cell, k) => {
    if (cell.kept >= MIN_KEPT) return cell;
    const ci = k % columns;
    const cj = Math.floor(k / columns);
    for (let ring = 1; ; ring++) {
      let level = 0;
      let sigma = 0;
      let n = 0;
      for (let j = cj - ring; j <= cj + ring; j++) {
        for (let i = ci - ring; i <= ci + ring; i++) {
          if (i < 0 || j < 0 || i >= columns || j >= rows || Math.max(Math.abs(i - ci), Math.abs(j - cj)) !== ring) continue;
          const other = cells[j * columns + i]!;
          if (other.kept < MIN_KEPT) continue;
          level += other.level;
          sigma += other.sigma;
          n++;
        }
      }
      if (n > 0) return { level: level / n, sigma: sigma / n, kept: cell.kept };
    }
  });
}

/** A size × size median filter over a mesh of values (edges use the cells that exist). */
export function medianFilterMesh(values: Float64Array, columns: number, rows: number, size: number): Float64Array {
  if (size <= 1) return values.slice();
  const half = size >> 1;
  const out = new Float64Array(values.length);
  // At most size² values, sorted by insertion: a comparator sort of a JS array cost ~0.5 µs a cell.
  const window = new Float64Array(size * size);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < columns; i++) {
      let n = 0;
      for (let y = Math.max(0, j - half); y <= Math.min(rows - 1, j + half); y++) {
        for (let x = Math.max(0, i - half); x <= Math.min(columns - 1, i + half); x++) {
          const v = values[y * columns + x]!;
          let k = n++;
          for (; k > 0 && window[k - 1]! > v; k--) window[k] = window[k - 1]!;
          window[k] = v;
        }
      }
      const m = n >> 1;
      out[j * columns + i] = n % 2 ? window[m]! : (window[m - 1]! + window[m]!) / 2;
    }
  }
  return out;
}

/** The middle cell's value of a mesh (the upper of the two middle ones for an even count). */
export const meshMedian = (values: Float64Array): number => values.slice().sort()[values.length >> 1]!;

/** A mesh of values over a width × height image, and where each pixel lies between its cell centres. */
export interface Mesh {
  values: Float64Array;
  columns: number;
  rows: number;
  /** Per column and per row of the image: the cell centre before it and how far towards the next (0…1). */
  xs: MeshAxis;
  ys: MeshAxis;
}

interface MeshAxis {
  index: Int32Array;
  weight: Float32Array;
  /** Per cell k: the first pixel past those whose index is k (the pixels of cell k's span end there). */
  ends: Int32Array;
}

function meshAxis(n: number, size: number): MeshAxis {
  const centres = Array.from({ length: n }, (_, i) => (edge(i, n, size) + edge(i + 1, n, size) - 1) / 2);
  const index = new Int32Array(size);
  const weight = new Float32Array(size);
  for (let p = 0, k = 0; p < size; p++) {
    while (k < n - 2 && p > centres[k + 1]!) k++;
    if (n === 1) continue;
    const t = (p - centres[k]!) / (centres[k + 1]! - centres[k]!);
    index[p] = k;
    weight[p] = Math.min(1, Math.max(0, t));
  }
  const ends = new Int32Array(n);
  for (let p = 0; p < size; p++) ends[index[p]!] = p + 1;
  for (let k = 1; k < n; k++) ends[k] = Math.max(ends[k]!, ends[k - 1]!);
  return { index, weight, ends };
}

/** `values` on a columns × rows mesh over a width × height image, ready to interpolate. */
export function mesh(values: Float64Array, columns: number, rows: number, width: number, height: number): Mesh {
  return { values, columns, rows, xs: meshAxis(columns, width), ys: meshAxis(rows, height) };
}

/**
 * Row y of the bilinear interpolation between cell centres (flat beyond the outer centres), into
 * `out` (float32, as a whole-image array stores it). `row` is scratch of `columns` elements.
 */
export function interpolateRow(m: Mesh, y: number, out: Float32Array, row = new Float64Array(m.columns)): void {
  const { values, columns, rows, xs } = m;
  const j = m.ys.index[y]!;
  const t = m.ys.weight[y]!;
  const j1 = Math.min(rows - 1, j + 1);
  for (let i = 0; i < columns; i++) row[i] = values[j * columns + i]! * (1 - t) + values[j1 * columns + i]! * t;
  // Span by span between cell centres: the two values at either end are read once per span.
  const { weight, ends } = xs;
  for (let i = 0, x = 0; i < columns; i++) {
    const end = ends[i]!;
    const a = row[i]!;
    const b = row[Math.min(columns - 1, i + 1)]!;
    for (; x < end; x++) {
      const s = weight[x]!;
      out[x] = a * (1 - s) + b * s;
    }
  }
}

/** The interpolated value at one pixel (x, y): what interpolateRow gives there. */
export function interpolateAt(m: Mesh, x: number, y: number): number {
  const { values, columns, rows } = m;
  const j = m.ys.index[y]!;
  const t = m.ys.weight[y]!;
  const j1 = Math.min(rows - 1, j + 1);
  const i = m.xs.index[x]!;
  const i1 = Math.min(columns - 1, i + 1);
  const s = m.xs.weight[x]!;
  const a = values[j * columns + i]! * (1 - t) + values[j1 * columns + i]! * t;
  const b = values[j * columns + i1]! * (1 - t) + values[j1 * columns + i1]! * t;
  return Math.fround(a * (1 - s) + b * s);
}

/** Bilinear interpolation of mesh values between cell centres (flat beyond the outer centres). */
export function interpolateMesh(values: Float64Array, columns: number, rows: number, width: number, height: number): Float32Array {
  const m = mesh(values, columns, rows, width, height);
  const out = new Float32Array(width * height);
  const row = new Float64Array(columns);
  for (let y = 0; y < height; y++) interpolateRow(m, y, out.subarray(y * width, (y + 1) * width), row);
  return out;
}
