/**
 * Separating blended neighbours, as SExtractor's multi-thresholding does, in one pass: the
 * component's pixels are flooded from the brightest down (union–find); where two flooded regions
 * meet, at a saddle, the one with the lower peak is a star of its own if that peak stands high
 * enough above the saddle, both in noise σ and as a share of the brighter peak's height, or stands
 * clear of the brighter star's light mirrored through its centre (a star on a bright one's wing).
 * Then every pixel of the component goes to the star whose light (a Gaussian of its peak) is
 * strongest there.
 */

export interface DeblendOptions {
  /** A peak must stand this many σ above the saddle to its brighter neighbour. */
  threshold: number;
  /** …and at least this share of the brighter neighbour's height above the saddle. */
  contrast: number;
  /** Gaussian sigma used to share a blend's pixels among its stars. */
  shareSigma: number;
  /**
   * A peak too low above the saddle stands on its own all the same when it stands this many σ
   * above the brighter star's light on the far side of that star, at the same distance (0: never).
   */
  mirrorThreshold?: number;
  /** The raw pixels, in the same frame, and their saturation level: a clipped star is no mirror. */
  raw?: { data: Uint8Array; saturation: number };
}

/**
 * Every deblender's union–find, reused from blend to blend (one per detected object was most of
 * the detector's garbage): all -1 between calls, as `peaks` leaves it.
 */
const shared = { parent: new Int32Array(0), peakOf: new Int32Array(0) };
/** A peak on a wing must still rise this many σ above the saddle: a local maximum, not a noise wiggle. */
const WING_RISE = 1;
/** …and this share of its height must stand above the mirrored light (a halo's lumps stand less). */
const WING_SHARE = 0.7;
/** Marks, in the scratch union–find, a pixel of the component being looked at. */
const MEMBER = -2;

export class Deblender {
  /** Union–find over pixel indices; -1 for pixels not flooded yet (the shared scratch). */
  private readonly parent: Int32Array;
  /** The brightest pixel of each flooded region, kept at its root. */
  private readonly peakOf: Int32Array;

  /**
   * @param values the smoothed image the peaks are found in
   * @param noise σ of `values` at every pixel
   */
  constructor(
    private readonly values: Float32Array,
    private readonly noise: Float32Array,
    private readonly width: number,
    private readonly height: number,
    private readonly options: DeblendOptions,
  ) {
    if (shared.parent.length < values.length) {
      shared.parent = new Int32Array(2 * values.length).fill(-1);
      shared.peakOf = new Int32Array(2 * values.length);
    }
    this.parent = shared.parent;
    this.peakOf = shared.peakOf;
  }

  /**
   * The peaks (pixel indices) of the stars in one component, the brightest first. `interior`: no
   * pixel lies on the frame's edge, so every neighbour is in the frame and no pixel's column and
   * row need working out (an integer division each).
   */
  peaks(pixels: ArrayLike<number>, interior = false): number[] {
    const { values, noise, parent, peakOf, width, height } = this;
    const { threshold, contrast } = this.options;
    const single = this.singlePeak(pixels, interior);
    if (single >= 0) return [single];
    const order = brightestFirst(values, pixels);
    const found: number[] = [];
    for (const p of order) {
      parent[p] = p;
      peakOf[p] = p;
      // p's root, kept through its unions (each leaves the brighter region's root on top).
      let root = p;
      // Inside, (1, 1) stands for every pixel: all its neighbours pass the edge tests.
      const x = interior ? 1 : p % width;
      const y = interior ? 1 : (p - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          if ((dx === 0 && dy === 0) || x + dx < 0 || x + dx >= width || y + dy < 0 || y + dy >= height) continue;
          const q = p + dy * width + dx;
          if (parent[q]! < 0) continue;
          let a = root;
          let b = this.find(q);
          if (a === b) continue;
          if (values[peakOf[b]!]! > values[peakOf[a]!]! || (values[peakOf[b]!] === values[peakOf[a]!] && peakOf[b]! < peakOf[a]!)) {
            [a, b] = [b, a];
          }
          // a holds the brighter peak; b's peak meets it at the saddle p.
          const saddle = values[p]!;
          const low = peakOf[b]!;
          const rise = values[low]! - saddle;
          if (rise >= threshold * noise[low]! && rise >= contrast * (values[peakOf[a]!]! - saddle)) found.push(low);
          else if (rise >= WING_RISE * noise[low]! && this.standsOnWing(low, peakOf[a]!)) found.push(low);
          parent[b] = a;
          root = a;
        }
      }
    }
    if (order.length > 0) found.push(peakOf[this.find(order[0]!)]!);
    for (const p of order) parent[p] = -1;
    return found.sort((a, b) => values[b]! - values[a]! || a - b);
  }

  /**
   * The component's one peak, when the flood would start a single region: only one pixel comes
   * before all its neighbours in the flooding order (brighter, or as bright and of a lower index).
   * Most components are one star; this spares them the sort and the flood. -1 when there are more.
   */
  private singlePeak(pixels: ArrayLike<number>, interior: boolean): number {
    const { values, parent, width, height } = this;
    for (let i = 0; i < pixels.length; i++) parent[pixels[i]!] = MEMBER;
    let seed = -1;
    let seeds = 0;
    for (let i = 0; i < pixels.length && seeds < 2; i++) {
      const p = pixels[i]!;
      const x = interior ? 1 : p % width;
      const y = interior ? 1 : (p - x) / width;
      const value = values[p]!;
      let first = true;
      for (let dy = -1; dy <= 1 && first; dy++) {
        if (y + dy < 0 || y + dy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          if ((dx === 0 && dy === 0) || x + dx < 0 || x + dx >= width) continue;
          const q = p + dy * width + dx;
          if (parent[q] !== MEMBER) continue;
          const other = values[q]!;
          if (other > value || (other === value && q < p)) {
            first = false;
            break;
          }
        }
      }
      if (first) {
        seed = p;
        seeds++;
      }
    }
    for (let i = 0; i < pixels.length; i++) parent[pixels[i]!] = -1;
    return seeds === 1 ? seed : -1;
  }

  /**
   * Writes into `owner` (at the component's pixels) the index, from `firstId`, of the star each
   * pixel belongs to: the one whose Gaussian of its peak's height is the highest there.
   */
  share(pixels: ArrayLike<number>, peaks: readonly number[], owner: Int32Array, firstId: number): void {
    const { values, width } = this;
    if (peaks.length === 1) {
      for (let i = 0; i < pixels.length; i++) owner[pixels[i]!] = firstId;
      return;
    }
    const k = 1 / (2 * this.options.shareSigma ** 2);
    const px = peaks.map((p) => p % width);
    const py = peaks.map((p) => Math.floor(p / width));
    const logA = peaks.map((p) => Math.log(Math.max(1e-6, values[p]!)));
    for (let i = 0; i < pixels.length; i++) {
      const p = pixels[i]!;
      const x = p % width;
      const y = (p - x) / width;
      let best = 0;
      let bestScore = -Infinity;
      for (let j = 0; j < peaks.length; j++) {
        const score = logA[j]! - k * ((x - px[j]!) ** 2 + (y - py[j]!) ** 2);
        if (score > bestScore) {
          bestScore = score;
          best = j;
        }
      }
      owner[p] = firstId + best;
    }
  }

  /**
   * Whether peak `low`, on the wing of the brighter star peaking at `high`, stands mirrorThreshold σ
   * (and most of its height) above that star's light at its mirror image through the star's centre (found to a fraction of a
   * pixel from the peak's curvature). A faint star a few σ of the PSF from a bright one rises little
   * above the saddle between them, the bright star's slope filling it; a round star's own light is
   * the same on both sides, so what stands above it there is another star's.
   */
  private standsOnWing(low: number, high: number): boolean {
    const { values, noise, width, height } = this;
    const { mirrorThreshold = 0, raw } = this.options;
    if (!(mirrorThreshold > 0)) return false;
    if (raw && raw.data[high]! >= raw.saturation) return false;
    const hx = high % width;
    const hy = (high - hx) / width;
    if (hx < 1 || hy < 1 || hx >= width - 1 || hy >= height - 1) return false;
    const top = values[high]!;
    const left = values[high - 1]!;
    const right = values[high + 1]!;
    const up = values[high - width]!;
    const down = values[high + width]!;
    const cx = left - 2 * top + right;
    const cy = up - 2 * top + down;
    // A flat top (a saturated core, smoothed) has no centre to mirror through.
    if (!(cx < 0 && cy < 0)) return false;
    const lx = low % width;
    const ly = (low - lx) / width;
    const mx = 2 * (hx + Math.max(-0.5, Math.min(0.5, (left - right) / (2 * cx)))) - lx;
    const my = 2 * (hy + Math.max(-0.5, Math.min(0.5, (up - down) / (2 * cy)))) - ly;
    const x0 = Math.floor(mx);
    const y0 = Math.floor(my);
    if (x0 < 0 || y0 < 0 || x0 + 1 >= width || y0 + 1 >= height) return false;
    const fx = mx - x0;
    const fy = my - y0;
    const q = y0 * width + x0;
    const mirror = (values[q]! * (1 - fx) + values[q + 1]! * fx) * (1 - fy) + (values[q + width]! * (1 - fx) + values[q + width + 1]! * fx) * fy;
    const excess = values[low]! - mirror;
    return excess >= mirrorThreshold * noise[low]! && excess >= WING_SHARE * values[low]!;
  }

  private find(r: number): number {
    const parent = this.parent;
    while (parent[r] !== r) {
      parent[r] = parent[parent[r]!]!;
      r = parent[r]!;
    }
    return r;
  }
}

/** Pixel indices below this are packed with their value into one exactly sortable double. */
const INDEX_SPAN = 2 ** 21;
const floatView = new Float32Array(1);
const bitsView = new Uint32Array(floatView.buffer);
let sortKeys = new Float64Array(1024);

/**
 * `pixels` by `values`, the brightest first, ties by index: each packed as (rank of its value's
 * float32 bits) · 2²¹ + index, a whole number below 2⁵³, so one native numeric sort of a
 * Float64Array orders them (a comparator over an array of numbers costs several times more).
 */
export function brightestFirst(values: Float32Array, pixels: ArrayLike<number>): number[] {
  const n = pixels.length;
  if (sortKeys.length < n) sortKeys = new Float64Array(2 * n);
  // A view of reused scratch: a new backing store for each blend cost about what its sort does.
  const keys = sortKeys.subarray(0, n);
  for (let i = 0; i < n; i++) {
    const p = pixels[i]!;
    if (p >= INDEX_SPAN) return Array.from(pixels).sort((a, b) => values[b]! - values[a]! || a - b);
    floatView[0] = values[p]! + 0; // -0 is +0, as the comparator has it
    const bits = bitsView[0]!;
    // Float bits in value order: negatives' reversed, positives' above them; then brightest first.
    const ascending = bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
    keys[i] = (0xffffffff - ascending) * INDEX_SPAN + p;
  }
  keys.sort();
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = keys[i]! % INDEX_SPAN;
  return order;
}
