/**
 * The last look at each measured object, with the image's typical star as its PSF: one Gaussian
 * fitted to it places a faint star better than windowed moments; two Gaussians that explain it
 * significantly better than one are two stars, too close for the deblender (2–4 px apart, their
 * light one peak in the smoothed image).
 */
import type { GrayImage } from '../blob/detect.js';
import type { SkyObject } from './detect.js';
import { gaussianRun } from './gaussian-run.js';
import { Neighbours } from './neighbours.js';
import { fitGaussians, type FitWindow, type FittedStar, type PsfFit } from './psf-fit.js';

export interface RefineOptions {
  /** The image's typical star's Gaussian σ (px). */
  sigma: number;
  saturation: number;
  /** Two stars when two Gaussians lower χ² by this many times the noise variance… */
  splitChi2: number;
  /** …and by at least this share of one Gaussian's χ². */
  splitShare: number;
  /** The fainter of the two stands this many σ of the noise above the sky. */
  splitSnr: number;
  /** Whether an object may be two stars (not a hot pixel, a galaxy, a nebula's knot). @default any */
  splittable?: (s: SkyObject) => boolean;
  /**
   * Whether an object will be kept at all: the others are passed on as they are, unfitted (their
   * fit would move only objects that are then thrown away). @default any
   */
  kept?: (s: SkyObject) => boolean;
  /** The PSF fit (tests count its calls). @default fitGaussians */
  fit?: typeof fitGaussians;
}

/** The window's half side, in units of the PSF σ, plus one pixel. */
const REACH = 2.5;
/**
 * Below this typical FWHM (px) stars are undersampled: a Gaussian sampled at pixel centres is not
 * the light a pixel collects, and a second Gaussian fits that difference. Moments are kept there.
 */
export const MIN_FIT_FWHM = 2;
/** The core window's half side for the final centre, in units of the PSF σ, plus one pixel. */
const CORE_REACH = 0.5;
/** A window whose one-Gaussian χ² is over this many noise variances a pixel holds other light: its star is refitted on its core. */
const CROWDED_CHI2 = 1.5;
/** Two stars closer than this (px) are not told apart (the bench's unresolved pairs are 2–4 px apart). */
const MIN_SEPARATION = 2;
/** The defaults of RefineOptions' split tests (tuned on `npm run bench:detect`, seeds 1 and 2). */
export const SPLIT_DEFAULTS = { splitChi2: 30, splitShare: 0.4, splitSnr: 3 } as const;
/** See splitPair: on the bench's skies, giving up a pair's fit here loses 2 splits in 930 and 40% of the fits' steps. */
const PROGRESS_STEPS = 3;
/** A fitted centre further than this from the moments' (px) fitted a neighbour: keep the moments'. */
const MAX_SHIFT = 1;
/** …and for a saturated star, whose moments' centre is less certain (px). */
const MAX_SATURATED_SHIFT = 2;

/** `objects` with their centres refined and close pairs split, in the same order (a pair in place of its object). */
export function refineObjects(image: GrayImage, objects: readonly SkyObject[], options: RefineOptions): SkyObject[] {
  const { sigma } = options;
  const half = Math.ceil(REACH * sigma) + 1;
  const win: FitWindow = { data: image.data, width: image.width, height: image.height, x0: 0, y0: 0, side: 2 * half + 1, saturation: options.saturation };
  const near = new Neighbours(objects, 2 * half);
  const out: SkyObject[] = [];
  for (let i = 0; i < objects.length; i++) {
    const s = objects[i]!;
    if (options.kept?.(s) === false) {
      out.push(s);
      continue;
    }
    win.x0 = Math.round(s.x) - half;
    win.y0 = Math.round(s.y) - half;
    if (s.saturated) {
      // Its flat top says little of its centre: it keeps its moments'. But a fainter star in its
      // wings is no peak of its own in the deblender's image: looked for in what one Gaussian,
      // fitted to the pixels below saturation, leaves unexplained.
      out.push(s);
      const companion = options.splittable?.(s) === false ? undefined : companionOf(win, sigma, s, options);
      if (companion && !near.closest(companion, i, sigma)) out.push(companion);
      continue;
    }
    const one = (options.fit ?? fitGaussians)(win, sigma, [{ amplitude: s.peak, x: s.x, y: s.y }]);
    if (!one || !(one.stars[0]!.amplitude > 0)) {
      out.push(s);
      continue;
    }
    const pair = options.splittable?.(s) === false ? undefined : splitPair(win, sigma, one, s, options);
    // Two Gaussians where the second is a neighbour already found: the first is this star, its
    // centre no longer pulled by the neighbour's light.
    const known = pair && near.closest(pair.stars[1]!, i, sigma) ? pair.stars[0]! : pair && near.closest(pair.stars[0]!, i, sigma) ? pair.stars[1]! : undefined;
    if (pair && !known) {
      const [a, b] = pair.stars as [FittedStar, FittedStar];
      const total = a.amplitude + b.amplitude;
      for (const c of [a, b]) {
        const share = c.amplitude / total;
        out.push({ ...s, x: c.x, y: c.y, peak: c.amplitude, flux: s.flux * share, snr: s.snr * share, fwhm: 2.3548 * sigma, ellipticity: 0 });
      }
      continue;
    }
    // Fitted beside its neighbour, the fit's centre alone. Where the window holds more than one
    // star and noise (χ² over CROWDED_CHI2 noise variances a pixel), the centre is fitted again on
    // the star's core, where a faint neighbour a few pixels out (one too faint to find) pulls it
    // less, and that fit's centre is taken alone (the moments see the neighbour's light too).
    // Else halfway between the fit's centre and the moments': the fit assumes the typical star's
    // width, the moments measure this star's; the mean does as well on the bench and better when
    // they differ.
    const core = known || !crowded(one, s.noise) ? undefined : coreFit(win, sigma, one, options.fit ?? fitGaussians);
    const f = known ?? core ?? one.stars[0]!;
    const m = known || core ? 1 : 0.5;
    if (Math.hypot(f.x - s.x, f.y - s.y) <= MAX_SHIFT) out.push(placed(s, m * f.x + (1 - m) * s.x, m * f.y + (1 - m) * s.y));
    else out.push((known ? undefined : fitAtPeak(win, sigma, s, options.fit ?? fitGaussians)) ?? s);
  }
  return out;
}

/**
 * A fainter star beside saturated `s`, as the second of two Gaussians that explain its unclipped
 * pixels significantly better than one (the one nearer `s` is `s` itself); else undefined.
 */
function companionOf(win: FitWindow, sigma: number, s: SkyObject, options: RefineOptions): SkyObject | undefined {
  const one = (options.fit ?? fitGaussians)(win, sigma, [{ amplitude: s.peak, x: s.x, y: s.y }]);
  // A fit that left the star's clipped top has fitted something else.
  if (!one || !(one.stars[0]!.amplitude > 0) || Math.hypot(one.stars[0]!.x - s.x, one.stars[0]!.y - s.y) > MAX_SATURATED_SHIFT) return undefined;
  const pair = splitPair(win, sigma, one, s, options);
  if (!pair) return undefined;
  const [a, b] = pair.stars as [FittedStar, FittedStar];
  const c = Math.hypot(a.x - s.x, a.y - s.y) <= Math.hypot(b.x - s.x, b.y - s.y) ? b : a;
  const fwhm = 2.3548 * sigma;
  return {
    x: c.x, y: c.y, fwhm, coreWidth: fwhm, flux: 2 * Math.PI * sigma * sigma * c.amplitude, peak: c.amplitude, peakPixel: s.peakPixel,
    saturated: false, area: s.area, ellipticity: 0, sharpness: s.sharpness, snr: (c.amplitude * sigma * Math.sqrt(Math.PI)) / s.noise, noise: s.noise,
  };
}

/**
 * One Gaussian fitted again on the core of `one`'s star: a window CORE_REACH σ + 1 px around the
 * pixel `win` was centred on, from `one`'s fit; undefined when that breaks down or moves off
 * `one`'s centre by a pixel or more.
 */
export function coreFit(win: FitWindow, sigma: number, one: PsfFit, fit: typeof fitGaussians): FittedStar | undefined {
  const f = one.stars[0]!;
  const outer = (win.side - 1) / 2;
  const half = Math.ceil(CORE_REACH * sigma) + 1;
  const core = { ...win, x0: win.x0 + outer - half, y0: win.y0 + outer - half, side: 2 * half + 1 };
  const g = fit(core, sigma, [{ amplitude: f.amplitude, x: f.x, y: f.y }], one.sky)?.stars[0];
  return g && g.amplitude > 0 && Math.hypot(g.x - f.x, g.y - f.y) < 1 ? g : undefined;
}

/** Whether a one-star fit leaves more than noise in its window: χ² over CROWDED_CHI2 noise variances a pixel. */
function crowded(one: PsfFit, noise: number): boolean {
  return one.chi2 > CROWDED_CHI2 * one.pixels * noise * noise;
}

/**
 * `s` fitted again from its brightest pixel, where the fit from its moments' centre went more than
 * MAX_SHIFT away: a brighter neighbour's wing pulls a faint star's moments (and the window centred
 * on them) towards it, while the star's brightest pixel stays on the star. Taken when this fit stays
 * within MAX_SHIFT of that pixel (refitted on its core where the window holds other light, as in
 * refineObjects); else undefined, and the moments' centre stays.
 */
function fitAtPeak(win: FitWindow, sigma: number, s: SkyObject, fit: typeof fitGaussians): SkyObject | undefined {
  const px = s.peakPixel % win.width;
  const py = (s.peakPixel - px) / win.width;
  const half = (win.side - 1) / 2;
  const at: FitWindow = { ...win, x0: px - half, y0: py - half };
  const one = fit(at, sigma, [{ amplitude: s.peak, x: px, y: py }]);
  const f = one?.stars[0];
  if (!one || !f || !(f.amplitude > 0) || Math.hypot(f.x - px, f.y - py) > MAX_SHIFT) return undefined;
  const g = (crowded(one, s.noise) ? coreFit(at, sigma, one, fit) : undefined) ?? f;
  return placed(s, g.x, g.y);
}

/** `s` at (x, y), written out: a spread with overrides took V8's slow path, a few µs a star. */
export function placed(s: SkyObject, x: number, y: number): SkyObject {
  return {
    x, y, fwhm: s.fwhm, coreWidth: s.coreWidth, flux: s.flux, peak: s.peak, peakPixel: s.peakPixel, saturated: s.saturated,
    area: s.area, ellipticity: s.ellipticity, sharpness: s.sharpness, snr: s.snr, noise: s.noise,
  };
}

/** splitPair's Gaussian along x, reused (a window's side is at most 64: fitGaussians' limit). */
const columnFactors = new Float64Array(64);

/** Two Gaussians, when they explain the window significantly better than `one`; else undefined. */
function splitPair(win: FitWindow, sigma: number, one: PsfFit, s: SkyObject, options: RefineOptions): PsfFit | undefined {
  const f = one.stars[0]!;
  const variance = s.noise * s.noise;
  // One Gaussian leaves no more misfit than the noise: nothing for a second to explain.
  if (!(one.chi2 > one.pixels * variance)) return undefined;
  // The second star's first guess: where one Gaussian leaves the most light unexplained; the
  // first moves away from it so that their light's centre stays where one Gaussian put it.
  const k = -1 / (2 * sigma * sigma);
  let best = -Infinity;
  let bx = f.x;
  let by = f.y;
  // The Gaussian is separable: a column of factors, times one per row.
  gaussianRun(columnFactors, 0, win.x0, win.side, k, f.x);
  for (let v = 0; v < win.side; v++) {
    const y = win.y0 + v;
    if (y < 0 || y >= win.height) continue;
    const row = f.amplitude * Math.exp(k * (y - f.y) ** 2);
    for (let u = 0; u < win.side; u++) {
      const x = win.x0 + u;
      if (x < 0 || x >= win.width) continue;
      const r = win.data[y * win.width + x]! - one.sky - row * columnFactors[u]!;
      if (r > best) {
        best = r;
        bx = x;
        by = y;
      }
    }
  }
  // The fainter star must stand splitSnr σ above the sky: where one Gaussian leaves less than
  // that unexplained anywhere, the window's misfit is noise or the PSF's shape (on the bench's
  // skies this spares 30% of the two-Gaussian fits and loses 3 splits in 930).
  if (!(best >= options.splitSnr * s.noise)) return undefined;
  const w = Math.min(0.5, best / f.amplitude);
  const start = [
    { amplitude: f.amplitude * (1 - w), x: f.x - w * (bx - f.x), y: f.y - w * (by - f.y) },
    { amplitude: best, x: bx, y: by },
  ];
  // The drop in χ² a pair needs; a fit not halfway there after three steps will not get there.
  const needed = Math.max(options.splitChi2 * variance, options.splitShare * one.chi2);
  const fit = options.fit ?? fitGaussians;
  const two = fit(win, sigma, start, one.sky, { steps: PROGRESS_STEPS, chi2: one.chi2 - needed / 2 });
  if (!two) return undefined;
  const [a, b] = two.stars as [FittedStar, FittedStar];
  if (!(one.chi2 - two.chi2 > needed)) return undefined;
  if (!(Math.min(a.amplitude, b.amplitude) >= options.splitSnr * s.noise)) return undefined;
  if (Math.hypot(a.x - b.x, a.y - b.y) < Math.max(sigma, MIN_SEPARATION)) return undefined;
  // A star wider than the typical one (a bright star, a softer corner of the field) is explained
  // better by two typical Gaussians too, but as well by one of its own width.
  const own = s.fwhm / 2.3548;
  if (Math.abs(own - sigma) > 0.05 * sigma) {
    const wide = fit(win, own, [{ amplitude: f.amplitude, x: f.x, y: f.y }], one.sky);
    if (wide && !(wide.chi2 - two.chi2 > options.splitChi2 * variance && wide.chi2 - two.chi2 > options.splitShare * wide.chi2)) return undefined;
  }
  return two;
}
