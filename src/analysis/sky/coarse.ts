/**
 * The whole-image stage of the sky detector, at half resolution so that it costs about what one
 * pass over the 8-bit pixels costs: 2×2 pixels are summed, the sums smoothed with [1 2 1]⊗[1 2 1]
 * (together a filter matched to a star of FWHM ~3.5 px), all in integers. The sky level and the
 * noise of that detection image are measured on a mesh (sigma-clipped histograms, as SExtractor
 * and SEP do), and the pixels k·σ above the sky found. Everything per star happens later, at full
 * resolution, only around what this stage found.
 */
import type { GrayImage } from '../blob/detect.js';
import { MAX_NOISE_RATIO, pixelNoiseLimit } from './pixel-noise.js';
import { clippedStats, edge, fillCoveredCells, interpolateAt, interpolateMesh, interpolateRow, medianFilterMesh, mesh, meshMedian, type Mesh, type SkyStats } from './background.js';

/** The detection image: 64 × the mean grey level of a 2×2 block, smoothed (integers up to 16320). */
export interface Coarse {
  width: number;
  height: number;
  smoothed: Uint16Array;
  /** Sky level of `smoothed` at every coarse pixel. */
  level: Float32Array;
  /** Noise σ of `smoothed`: a mesh, interpolated where needed (see coarseSigma) rather than stored per pixel. */
  sigma: Mesh;
}

/** Noise σ of the detection image at coarse pixel b. */
export const coarseSigma = (coarse: Coarse, b: number): number => {
  const x = b % coarse.width;
  return interpolateAt(coarse.sigma, x, (b - x) / coarse.width);
};


/** `smoothed` is 64 × grey levels. */
export const COARSE_SCALE = 64;
/**
 * σ of `smoothed` over σ of the raw pixels for white noise: a 2×2 sum doubles it, the 16-weight
 * [1 2 1]² filter multiplies by √36; over 64.
 */
export const COARSE_WHITE_RATIO = (2 * 6) / COARSE_SCALE;
/** A flat synthetic sky has no noise: never below half a grey level's worth. */
const MIN_SIGMA = 0.5 * COARSE_WHITE_RATIO * COARSE_SCALE;

/**
 * The 2×2 sums of `image`, smoothed with [1 2 1] along x and along y (edges repeat). One pass:
 * each output row is made from three rows smoothed along x, kept in a ring of three buffers.
 */
export function binSmooth(image: GrayImage): { data: Uint16Array; width: number; height: number } {
  const w = image.width >> 1;
  const h = image.height >> 1;
  const out = new Uint16Array(w * h);
  if (w === 0 || h === 0) return { data: out, width: w, height: h };
  const ring = [new Int32Array(w), new Int32Array(w), new Int32Array(w)] as const;
  // Row r of the x-smoothed image lives in ring[r % 3]; row -1 and row h repeat rows 0 and h - 1.
  smoothRow(image, 0, ring[0]);
  for (let y = 0; y < h; y++) {
    // Row y + 1 takes the place of row y - 2, no longer needed.
    if (y + 1 < h) smoothRow(image, y + 1, ring[(y + 1) % 3]!);
    const above = ring[Math.max(0, y - 1) % 3]!;
    const row = ring[y % 3]!;
    const below = ring[Math.min(h - 1, y + 1) % 3]!;
    for (let x = 0, p = y * w; x < w; x++, p++) out[p] = above[x]! + 2 * row[x]! + below[x]!;
  }
  return { data: out, width: w, height: h };
}

/**
 * Row y of the 2×2 sums smoothed with [1 2 1] along x (into `out`, edges repeated): each sum is
 * taken once and carried along as the next pixel's left neighbour, not stored.
 */
function smoothRow(image: GrayImage, y: number, out: Int32Array): void {
  const { data, width } = image;
  const w = out.length;
  let a = 2 * y * width;
  let b = a + width;
  let previous = data[a]! + data[a + 1]! + data[b]! + data[b + 1]!;
  if (w === 1) {
    out[0] = 4 * previous;
    return;
  }
  let current = previous;
  for (let x = 0; x < w - 1; x++) {
    a += 2;
    b += 2;
    const next = data[a]! + data[a + 1]! + data[b]! + data[b + 1]!;
    out[x] = previous + 2 * current + next;
    previous = current;
    current = next;
  }
  out[w - 1] = previous + 3 * current;
}

/**
 * Clipped statistics of each cell of a columns × rows mesh over `values` (histogram bins: a value
 * v counts in bin v >> shift); levels and σ come back in units of `values`.
 */
export function cellStats(values: Uint16Array, width: number, height: number, columns: number, rows: number, shift: number): SkyStats[] {
  const hist = new Uint32Array((0xffff >> shift) + 1);
  const cells: SkyStats[] = [];
  const unit = 2 ** shift;
  for (let j = 0; j < rows; j++) {
    const y0 = edge(j, rows, height);
    const y1 = edge(j + 1, rows, height);
    for (let i = 0; i < columns; i++) {
      const x0 = edge(i, columns, width);
      const x1 = edge(i + 1, columns, width);
      let lo = hist.length;
      let hi = -1;
      let n = 0;
      let sum = 0;
      let sum2 = 0;
      for (let y = y0; y < y1; y++) {
        for (let p = y * width + x0, end = y * width + x1; p < end; p++) {
          const b = values[p]! >> shift;
          hist[b]!++;
          sum += b;
          sum2 += b * b;
          if (b < lo) lo = b;
          if (b > hi) hi = b;
        }
        n += x1 - x0;
      }
      if (hi < 0) {
        cells.push({ level: 0, sigma: 0, kept: 0 });
        continue;
      }
      // The clipping's first pass would walk every bin up to the brightest star's; the sky lies
      // below mean + 3σ of all the pixels, stars included. Pixels above go into its top bin.
      const mean = sum / n;
      const top = Math.min(hi, Math.max(lo, Math.ceil(mean + 3 * Math.sqrt(Math.max(0, sum2 / n - mean * mean)))));
      // Counted from below: the stars' bins above can span thousands of levels, the sky's a few σ.
      let under = 0;
      for (let b = lo; b < top; b++) under += hist[b]!;
      hist.fill(0, top + 1, hi + 1);
      hist[top] = n - under;
      hi = top;
      const s = clippedStats(hist.subarray(lo, hi + 1));
      cells.push({ level: (s.level + lo) * unit + (unit - 1) / 2, sigma: s.sigma * unit, kept: s.kept });
      hist.fill(0, lo, hi + 1);
    }
  }
  return cells;
}

/** Residual histograms: bins of 2 units of `smoothed`, centred on this bin. */
const RESIDUAL_ZERO = 0x8000;

/**
 * The detection image and its sky: level from the clipped mesh, then the noise measured the same
 * way on the image minus that level (a nebula's slope across a cell is not noise).
 */
export function coarseSky(image: GrayImage, meshSize: number, meshFilter: number): Coarse {
  const { data: smoothed, width, height } = binSmooth(image);
  const cell = Math.max(4, meshSize >> 1);
  const columns = Math.max(1, Math.round(width / cell));
  const rows = Math.max(1, Math.round(height / cell));
  // (Statistics over every other coarse pixel, or row, were tried: they cost NGC 6752's cluster
  // 4–17% of its stars, the crowded cells' clipped level and σ being that much less certain.)
  const levels = fillCoveredCells(cellStats(smoothed, width, height, columns, rows, 2), columns, rows);
  const level = interpolateMesh(medianFilterMesh(Float64Array.from(levels, (c) => c.level), columns, rows, meshFilter), columns, rows, width, height);
  // Rounded to the nearest bin (halves up, as Math.round), by truncating a positive number:
  // smoothed and its level lie in 0…16320, so the residual bin stays within ZERO ± 8160.
  const residual = new Uint16Array(smoothed.length);
  for (let p = 0; p < residual.length; p++) residual[p] = ((smoothed[p]! - level[p]!) * 0.5 + (RESIDUAL_ZERO + 0.5)) | 0;
  const noise = fillCoveredCells(cellStats(residual, width, height, columns, rows, 0), columns, rows);
  const clipped = Float64Array.from(noise, (c) => Math.max(MIN_SIGMA, 2 * c.sigma));
  const sigmaMesh = capNoise(pixelNoiseLimit(clipped, columns, rows, image));
  const sigma = mesh(medianFilterMesh(sigmaMesh, columns, rows, meshFilter), columns, rows, width, height);
  return { width, height, smoothed, level, sigma };
}

/**
 * A cell's σ can be no more than MAX_NOISE_RATIO × the median cell's. In a globular cluster's
 * core every pixel is some star's, and the clipped spread of the cell is the stars' crowding,
 * not noise: at 5 of it, none of the resolved stars there would stand out.
 */
export function capNoise(sigmas: Float64Array): Float64Array {
  const cap = MAX_NOISE_RATIO * meshMedian(sigmas);
  return sigmas.map((s) => Math.min(cap, s));
}


/** 1 where the detection image stands more than k · σ above the sky, else 0. */
export function coarseMask(coarse: Coarse, k: number): Uint8Array {
  const { smoothed, level, sigma, width, height } = coarse;
  const mask = new Uint8Array(smoothed.length);
  // σ one row at a time: the whole image's σ is never stored.
  const row = new Float32Array(width);
  const scratch = new Float64Array(sigma.columns);
  for (let y = 0; y < height; y++) {
    interpolateRow(sigma, y, row, scratch);
    for (let x = 0, p = y * width; x < width; x++, p++) if (smoothed[p]! - level[p]! > k * row[x]!) mask[p] = 1;
  }
  return mask;
}
