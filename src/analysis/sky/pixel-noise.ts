/**
 * The noise a mesh cell's clipped spread cannot tell from crowding: in a cluster's core, a
 * nebula's knotty part or a galaxy's bright centre, the histogram of a 32-pixel cell is wide
 * because of the light that varies across it, not because of noise, and a threshold at 5 of it
 * hides the resolved stars there. Noise differs from one pixel to the next; stars (a few pixels
 * wide) and nebulae (tens) hardly do. So a cell whose spread stands out is checked against the
 * spread of its pixels' second differences along x, compared with what it is in the image's
 * ordinary cells (JPEG and resampling correlate the noise: only the ratio is trusted), and its σ
 * lowered halfway (in ratio) towards what that spread supports.
 */
import { edge, meshMedian } from './background.js';

/** Cells whose σ is more than this many times the median cell's are checked. */
const SUSPECT_RATIO = 1.25;
/** The clipped σ is capped at this many times the median cell's anyway (see capNoise). */
export const MAX_NOISE_RATIO = 10;
/** Ordinary cells, whose σ is within this share of the median's, calibrate the ratio… */
const ORDINARY_SHARE = 0.1;
/** …at most this many of them, spread over the list. */
const REFERENCE_CELLS = 32;
/** Second differences of 8-bit pixels, 2·I(x) − I(x−1) − I(x+1), lie in −510…510. */
const DIFFERENCE_BINS = 1021;
const histogram = new Uint32Array(DIFFERENCE_BINS);

/**
 * The median absolute deviation of the second differences along x of the raw pixels of cell
 * (i, j) of a columns × rows mesh over the coarse image (2 raw pixels per coarse pixel): a spread
 * that follows the pixel-to-pixel noise and that a few stars per cell do not move. 0 if empty.
 */
export function differenceSpread(
  image: { data: Uint8Array; width: number; height: number },
  i: number,
  j: number,
  columns: number,
  rows: number,
): number {
  const { data, width } = image;
  const coarseWidth = width >> 1;
  const coarseHeight = image.height >> 1;
  const x0 = Math.max(1, 2 * edge(i, columns, coarseWidth));
  const x1 = Math.min(width - 1, 2 * edge(i + 1, columns, coarseWidth));
  const y0 = 2 * edge(j, rows, coarseHeight);
  const y1 = 2 * edge(j + 1, rows, coarseHeight);
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let p = y * width + x0, end = y * width + x1; p < end; p++) {
      histogram[2 * data[p]! - data[p - 1]! - data[p + 1]! + 510]!++;
      n++;
    }
  }
  if (n === 0) return 0;
  const median = histogramQuantile(n / 2);
  // The absolute deviations' median, each bin spread evenly over its unit: where the count of
  // bins median−d…median+d reaches half, interpolated within the last pair added.
  const half = n / 2;
  let inside = histogram[median]!;
  let d = inside >= half ? (0.5 * half) / inside : 0;
  for (let r = 1; inside < half; r++) {
    const added = (histogram[median - r] ?? 0) + (histogram[median + r] ?? 0);
    if (inside + added >= half) d = r - 0.5 + (half - inside) / added;
    inside += added;
  }
  histogram.fill(0);
  return d;
}

/** The first bin at which the histogram's running count reaches `rank`. */
function histogramQuantile(rank: number): number {
  let count = 0;
  for (let b = 0; b < DIFFERENCE_BINS; b++) {
    count += histogram[b]!;
    if (count >= rank) return b;
  }
  return DIFFERENCE_BINS - 1;
}

/**
 * `sigmas` (the mesh's clipped σ per cell, row by row) with each cell that stands out lowered
 * towards what its pixel-to-pixel spread supports (the median over ordinary cells of σ per unit of
 * that spread, times its own spread), never raised. Only where that spread itself stands out
 * (crowding: resolved stars are sharp); a cell whose pixels vary no more than the ordinary cells'
 * holds a smooth light the mesh did not follow (a nebula), and its wide σ keeps the noise peaks on
 * that light from being taken for stars. Images with too few ordinary cells are left as they are.
 */
export function pixelNoiseLimit(
  sigmas: Float64Array,
  columns: number,
  rows: number,
  image: { data: Uint8Array; width: number; height: number },
): Float64Array {
  const median = meshMedian(sigmas);
  const suspects: number[] = [];
  const ordinary: number[] = [];
  sigmas.forEach((s, k) => {
    if (s > SUSPECT_RATIO * median) suspects.push(k);
    else if (Math.abs(s - median) <= ORDINARY_SHARE * median) ordinary.push(k);
  });
  if (suspects.length === 0 || ordinary.length < 5) return sigmas;
  const step = Math.max(1, Math.floor(ordinary.length / REFERENCE_CELLS));
  const perSpread: number[] = [];
  for (let r = 0; r < ordinary.length; r += step) {
    const k = ordinary[r]!;
    const d = differenceSpread(image, k % columns, Math.floor(k / columns), columns, rows);
    if (d > 0) perSpread.push(sigmas[k]! / d);
  }
  if (perSpread.length < 5) return sigmas;
  const scale = perSpread.sort((a, b) => a - b)[perSpread.length >> 1]!;
  const out = sigmas.slice();
  for (const k of suspects) {
    const d = differenceSpread(image, k % columns, Math.floor(k / columns), columns, rows);
    const limit = scale * d;
    // Trusted halfway (the geometric mean with the clipped σ, itself capped): a galaxy's knots and
    // arms, whose detail JPEG keeps where it flattens the sky's noise, raise the spread too.
    if (limit > SUSPECT_RATIO * median) out[k] = Math.min(sigmas[k]!, Math.sqrt(limit * Math.min(sigmas[k]!, MAX_NOISE_RATIO * median)));
  }
  return out;
}
