/**
 * The last placing of each star, among its neighbours and the companions too faint or too close
 * to be found (as DAOPHOT's ALLSTAR does): the star is fitted together with the stars found around
 * it, and what that group leaves unexplained is searched for a companion's bump; where a
 * companion lowers χ² significantly, the star takes its centre from the fit that includes it. The
 * companions are not reported (most are under the detection threshold, or pairs the split tests
 * did not accept): they only stop pulling the star's centre towards themselves. Then what the group
 * leaves is searched for a pair about the star (quadrupole.ts); where neither is found, a star with
 * a found neighbour close by is fitted together with it.
 */
import type { GrayImage } from '../blob/detect.js';
import type { SkyObject } from './detect.js';
import { gaussianRun } from './gaussian-run.js';
import { fitGroup, fitHeights, MAX_GROUP, residuals, type GroupFit, type GroupStar } from './group-fit.js';
import { Neighbours } from './neighbours.js';
import type { FitWindow } from './psf-fit.js';
import { MAX_SIDE } from './psf-normal.js';
import { pairAxis } from './quadrupole.js';
import { placed } from './refine.js';

export interface CompanionOptions {
  /** The image's typical star's Gaussian σ (px). */
  sigma: number;
  saturation: number;
  /** Whether an object is a star to place (the others are passed on as they are, and fitted as no one's neighbour). @default any */
  kept?: (s: SkyObject) => boolean;
  /**
   * The image's typical raw noise σ: a star's is taken at most this large here (in a crowded cell
   * the measured σ is the crowding's spread, and no companion would stand out of it). @default no cap
   */
  typicalNoise?: number;
}

/** The window's half side, in units of the PSF σ, plus one pixel (refine.ts's). */
const REACH = 2.5;
const FWHM_PER_SIGMA = 2.3548;
/** Neighbours are the objects within the window and this many σ beyond it (their light reaches in). */
const NEIGHBOUR_REACH = 3;
/** A companion is taken when it lowers χ² by more than this many noise variances… */
const MIN_DROP = 30;
/** …and a bump is fitted only when a Gaussian there alone, its centre fixed, would lower χ² by this share of that. */
const PRE_SHARE = 0.5;
/** A companion's bump stands this many σ of the noise above the group's model… */
const MIN_BUMP = 2;
/** …and that much above the residual at its mirror image through the star (a misfit of the star's own profile is symmetric). */
const MIN_ASYMMETRY = 2;
/** …at least this many σ of the PSF from the star's centre. */
const MIN_BUMP_DISTANCE = 1;
/** A fitted companion this close (in σ of the PSF, and at least MIN_SEPARATION px) to another star is that star's own misfit. */
const MIN_SEPARATION_SIGMAS = 1.5;
const MIN_SEPARATION = 2;
/** Companions looked for, one after the other. */
const MAX_COMPANIONS = 2;
/** Gauss–Newton steps of a group fit. */
const ITERATIONS = 5;
/**
 * Stars whose peak stands this many σ of the noise or more stay where they are: a companion moves
 * them little, and what their group leaves is mostly their own profile's misfit (a halo, a width
 * off the typical one), which a companion would fit (on the bench, those over 100σ placed again
 * were worse; those of 50–100σ, since pairs about a star are looked for, gain 0.0002 and 0.0009 px).
 */
const MAX_PEAK = 100;
/**
 * Objects wider than this many times the typical star stay where they are: most are galaxies,
 * whose light two Gaussians split anywhere (in the Hubble Deep Field 217 centres moved over 0.3 px
 * without it, 87 with it), while the bench's blends are narrower (seed 1's RMS 0.1488 → 0.1497).
 */
const MAX_WIDTH = 1.6;
/** A star placed further than this (px) from where refine.ts left it has been fitted to something else: it stays… */
const MAX_MOVE = 1.5;
/**
 * …unless it was the light's centre of a pair, star and companion (or two stars about it): then it
 * may move to its half of the pair, half their separation and this much more (px)…
 */
const PAIR_SLACK = 0.5;
/** …but no further than this (px). */
const MAX_PAIR_MOVE = 3;
/** A pair about the star is started with its two halves this many σ of the PSF from the star, each at this share of its height. */
const PAIR_START = 0.6;
/** A found neighbour this close (in σ of the PSF) is fitted with the star, not held where it was found. */
const CLOSE_NEIGHBOUR = 2.5;
/** The most close neighbours fitted with the star (group-normal.ts fits four stars at most). */
const MAX_CLOSE = 2;

/** The residual map, reused (its side is a window's plus two). */
const residual = new Float64Array(MAX_SIDE * MAX_SIDE);
/** A Gaussian at the bump, along the window's columns and rows. */
const bumpColumns = new Float64Array(MAX_SIDE);
const bumpRows = new Float64Array(MAX_SIDE);

/** `objects` with the centres of the stars that have companions placed again, in the same order. */
export function placeAmongCompanions(image: GrayImage, objects: readonly SkyObject[], options: CompanionOptions): SkyObject[] {
  const { sigma } = options;
  const half = Math.ceil(REACH * sigma) + 1;
  if (2 * half + 3 > MAX_SIDE) return [...objects];
  const reach = half + NEIGHBOUR_REACH * sigma;
  const stars = objects.map((s) => options.kept?.(s) !== false);
  const near = new Neighbours(objects, Math.ceil(reach));
  const win: FitWindow = { data: image.data, width: image.width, height: image.height, x0: 0, y0: 0, side: 2 * half + 1, saturation: options.saturation };
  return objects.map((s, i) => {
    if (!stars[i] || s.saturated || !(s.peak < MAX_PEAK * s.noise) || !(s.fwhm <= MAX_WIDTH * FWHM_PER_SIGMA * sigma)) return s;
    win.x0 = Math.round(s.x) - half;
    win.y0 = Math.round(s.y) - half;
    const group: GroupStar[] = [{ amplitude: s.peak, x: s.x, y: s.y, frozen: false }];
    for (const j of near.within(s, i, reach)) {
      const o = objects[j]!;
      if (stars[j]) group.push({ amplitude: o.peak, x: o.x, y: o.y, frozen: true });
    }
    // A crowd larger than a group holds: its nearest members (the star itself, at 0, stays first).
    if (group.length > MAX_GROUP - MAX_COMPANIONS) {
      const d = (o: GroupStar): number => Math.hypot(o.x - s.x, o.y - s.y);
      group.sort((a, b) => d(a) - d(b)).length = MAX_GROUP - MAX_COMPANIONS;
    }
    const noise = options.typicalNoise ? Math.min(s.noise, options.typicalNoise) : s.noise;
    const at = withCompanions(win, sigma, group, noise);
    return at && Math.hypot(at.x - s.x, at.y - s.y) <= at.reach ? placed(s, at.x, at.y) : s;
  });
}

/** Where a star is placed, and how far from where it was (px) it may be. */
interface Placing {
  x: number;
  y: number;
  reach: number;
}

/** How far a star that was the light's centre of a pair `separation` px apart may move: to its half of the pair. */
const pairReach = (separation: number): number => Math.max(MAX_MOVE, Math.min(MAX_PAIR_MOVE, separation / 2 + PAIR_SLACK));

const distance = (a: { x: number; y: number }, b: { x: number; y: number }): number => Math.hypot(a.x - b.x, a.y - b.y);

/**
 * The star (group[0]) fitted with its neighbours and the companions its group's residual shows, or
 * as one of a pair about it; undefined when neither is found.
 */
function withCompanions(win: FitWindow, sigma: number, group: GroupStar[], noise: number): Placing | undefined {
  const variance = noise * noise;
  // Every centre held where it was found: one linear solve gives the heights, the sky and, with
  // the residual, the χ² a companion must lower. The neighbours then keep their heights (frozen):
  // on the bench, fitting them again moved the RMS by under 0.001 px, no better overall.
  let fit = fitHeights(win, sigma, group);
  let taken = 0;
  for (let c = 0; fit && c < MAX_COMPANIONS; c++) {
    const bump = companionBump(win, sigma, fit, noise);
    if (!bump) break;
    const next = fitGroup(win, sigma, [...fit.stars, { amplitude: bump.amplitude, x: bump.x, y: bump.y, frozen: false }], fit.sky, ITERATIONS);
    if (!next || !(fit.chi2 - next.chi2 > MIN_DROP * variance)) break;
    const added = next.stars[next.stars.length - 1]!;
    const apart = Math.max(MIN_SEPARATION_SIGMAS * sigma, MIN_SEPARATION);
    if (!(added.amplitude > 0) || next.stars.slice(0, -1).some((o) => Math.hypot(o.x - added.x, o.y - added.y) < apart)) break;
    fit = next;
    taken++;
  }
  // The residual map holds what `fit` leaves unless both companions were taken.
  if (!fit || Number.isNaN(fit.chi2)) return undefined;
  const pair = taken < MAX_COMPANIONS ? pairAbout(win, sigma, fit, noise) : undefined;
  if (pair) return pair;
  if (taken === 0) return withClose(win, sigma, fit);
  const star = fit.stars[0]!;
  const neighbours = fit.stars.slice(1, fit.stars.length - taken);
  // On a found neighbour, the star has been fitted to that neighbour's light.
  if (neighbours.some((o) => distance(o, star) < Math.max(MIN_SEPARATION_SIGMAS * sigma, MIN_SEPARATION))) return undefined;
  const separation = Math.max(...fit.stars.slice(fit.stars.length - taken).map((o) => distance(o, star)));
  return { x: star.x, y: star.y, reach: pairReach(separation) };
}

/**
 * The star as the brighter of a pair about it: where `fit`'s residual (in `residual`) holds a
 * pair's quadrupole, two Gaussians started along its axis, fitted with the rest of the group, that
 * lower χ² by MIN_DROP noise variances and end apart (1σ of the PSF and MIN_SEPARATION px, from
 * each other and from the other stars); else undefined.
 */
function pairAbout(win: FitWindow, sigma: number, fit: GroupFit, noise: number): Placing | undefined {
  const star = fit.stars[0]!;
  const angle = pairAxis(residual, win, star.x, star.y, sigma, noise);
  if (angle === undefined) return undefined;
  const ux = Math.cos(angle) * PAIR_START * sigma;
  const uy = Math.sin(angle) * PAIR_START * sigma;
  const amplitude = PAIR_START * star.amplitude;
  const start = fit.stars.map((o, i) => (i === 0 ? { ...o, amplitude, x: o.x - ux, y: o.y - uy } : o));
  start.push({ amplitude, x: star.x + ux, y: star.y + uy, frozen: false });
  const needed = MIN_DROP * noise * noise;
  const next = fitGroup(win, sigma, start, fit.sky, ITERATIONS);
  if (!next || !(fit.chi2 - next.chi2 > needed)) return undefined;
  const a = next.stars[0]!;
  const b = next.stars[next.stars.length - 1]!;
  if (!(a.amplitude > 0 && b.amplitude > 0)) return undefined;
  const apart = Math.max(sigma, MIN_SEPARATION);
  const others = next.stars.slice(1, -1);
  if (distance(a, b) < apart || others.some((o) => distance(o, b) < apart)) return undefined;
  const brighter = a.amplitude >= b.amplitude ? a : b;
  return { x: brighter.x, y: brighter.y, reach: pairReach(distance(a, b)) };
}

/**
 * The star of `heights` (its group, every centre held) fitted together with its found neighbours
 * within CLOSE_NEIGHBOUR σ (the MAX_CLOSE nearest; the rest of the group held): a neighbour that
 * close was placed with the star's light in its window, and holding it there pulls the star;
 * undefined when there is none, or the fit breaks down or brings two stars within MIN_SEPARATION px.
 */
function withClose(win: FitWindow, sigma: number, heights: GroupFit): Placing | undefined {
  const star = heights.stars[0]!;
  const close = heights.stars
    .map((o, i) => ({ i, d: distance(o, star) }))
    .filter((o) => o.i > 0 && o.d < CLOSE_NEIGHBOUR * sigma)
    .sort((p, q) => p.d - q.d)
    .slice(0, MAX_CLOSE);
  if (close.length === 0) return undefined;
  const start = heights.stars.map((o) => ({ ...o }));
  for (const { i } of close) start[i]!.frozen = false;
  const both = fitGroup(win, sigma, start, heights.sky, ITERATIONS);
  const at = both?.stars[0];
  if (!both || !at || both.stars.some((o, i) => i > 0 && distance(o, at) < MIN_SEPARATION)) return undefined;
  return { x: at.x, y: at.y, reach: MAX_MOVE };
}

/**
 * Where `fit` leaves a companion's light: the highest residual pixel that stands MIN_BUMP σ above
 * the model, MIN_ASYMMETRY σ above its mirror image through the star, MIN_BUMP_DISTANCE σ of the
 * PSF from it, and where a Gaussian would lower χ² by PRE_SHARE of MIN_DROP; else undefined.
 * A linear fit's χ² (NaN) is set from the residual on the way.
 */
export function companionBump(win: FitWindow, sigma: number, fit: GroupFit, noise: number): { amplitude: number; x: number; y: number } | undefined {
  const chi2 = residuals(win, sigma, fit, residual);
  if (Number.isNaN(fit.chi2)) fit.chi2 = chi2;
  const side = win.side + 2;
  const star = fit.stars[0]!;
  const x0 = win.x0 - 1;
  const y0 = win.y0 - 1;
  const minDistance2 = (MIN_BUMP_DISTANCE * sigma) ** 2;
  let best = MIN_BUMP * noise;
  let bu = -1;
  let bv = -1;
  for (let v = 1; v <= win.side; v++) {
    for (let u = 1; u <= win.side; u++) {
      const r = residual[v * side + u]!;
      if (!(r >= best)) continue;
      const x = x0 + u;
      const y = y0 + v;
      if ((x - star.x) ** 2 + (y - star.y) ** 2 < minDistance2) continue;
      const mu = Math.round(2 * star.x - x) - x0;
      const mv = Math.round(2 * star.y - y) - y0;
      const mirror = mu >= 0 && mv >= 0 && mu < side && mv < side ? residual[mv * side + mu]! : NaN;
      if (!(r - (Number.isNaN(mirror) ? 0 : mirror) >= MIN_ASYMMETRY * noise)) continue;
      best = r;
      bu = u;
      bv = v;
    }
  }
  if (bu < 0) return undefined;
  // What a Gaussian at the bump, its height alone fitted, would take off χ²: (Σ g·r)² / Σ g².
  const k = -1 / (2 * sigma * sigma);
  gaussianRun(bumpColumns, 0, 1, win.side, k, bu);
  gaussianRun(bumpRows, 0, 1, win.side, k, bv);
  let gr = 0;
  let gg = 0;
  for (let v = 1; v <= win.side; v++) {
    for (let u = 1; u <= win.side; u++) {
      const r = residual[v * side + u]!;
      if (Number.isNaN(r)) continue;
      const g = bumpColumns[u - 1]! * bumpRows[v - 1]!;
      gr += g * r;
      gg += g * g;
    }
  }
  if (!(gr * gr >= PRE_SHARE * MIN_DROP * noise * noise * gg)) return undefined;
  return { amplitude: best, x: x0 + bu, y: y0 + bv };
}
