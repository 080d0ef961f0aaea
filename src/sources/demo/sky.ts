/**
 * The demo's generated skies: a seeded plan (size, sky, stars) and a renderer that draws it into
 * 8-bit RGB pixels. Pure and deterministic: the same seed and index give the same plan and bytes,
 * so the true stars of every demo image are known without storing anything.
 */
import type { TrueStar } from '../remote.js';
import { planExtras, type SkyExtras } from './sky-extras.js';
import { mixSeed, mulberry32, normalFrom } from './sky-random.js';

export { mulberry32 } from './sky-random.js';
export { renderSky } from './sky-render.js';

/** A star as drawn. `peak` (TrueStar) is `amplitude` capped at 255. */
export interface SkyStar extends TrueStar {
  /** Brightness above the sky at the centre, before clipping at 255 (saturated stars exceed it). */
  amplitude: number;
  /** Gaussian sigma in pixels; Moffat stars get the same FWHM (2.355 sigma). */
  sigma: number;
  profile: 'gaussian' | 'moffat';
  /** Moffat's beta (wing steepness); unused for Gaussian stars. */
  beta: number;
  /** The share of `amplitude` in a faint halo HALO_WIDTH times wider (bright Gaussian stars), else 0. */
  halo: number;
  /** Per-channel factors (R, G, B), the largest 1: a slight colour. */
  tint: readonly [number, number, number];
}

export interface SkyPlan extends SkyExtras {
  seed: number;
  index: number;
  width: number;
  height: number;
  format: 'jpeg' | 'png';
  /** Sky level per channel at the image centre. */
  skyLevel: readonly [number, number, number];
  /** Sky change from the left to the right edge, and from the top to the bottom edge. */
  gradient: { x: number; y: number };
  /** Standard deviation of the per-pixel noise. */
  noise: number;
  /** A faint diffuse band (a Milky Way), or none. */
  band?: { angle: number; offset: number; width: number; level: number };
  stars: SkyStar[];
}

/** The bounds every plan's size stays within. */
export const SKY_LIMITS = { minWidth: 512, minHeight: 512, maxWidth: 3000, maxHeight: 2000 } as const;

/** A halo's sigma, in units of the star's sigma. */
export const HALO_WIDTH = 3.5;

const round2 = (v: number): number => Math.round(v * 100) / 100;

/** The plan of demo image `index` for `seed`: what renderSky draws and where its true stars are. */
export function skyPlan(seed: number, index: number): SkyPlan {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`The demo seed must be a whole number, but received ${seed}.`);
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`The demo image index must be a whole number ≥ 0, but received ${index}.`);
  const rng = mulberry32(mixSeed(seed, index, 0x51ed));
  const between = (lo: number, hi: number): number => lo + (hi - lo) * rng();
  const normal = (): number => normalFrom(rng);

  const { width, height } = planSize(rng);
  const format = rng() < 0.3 && width * height <= 1.5e6 ? 'png' : 'jpeg';
  const level = between(6, 28);
  const warmth = between(-0.12, 0.12); // light pollution is orange, a dark site slightly blue
  const skyLevel = [level * (1 + warmth), level, level * (1 - warmth)] as const;
  const gradient = { x: between(-12, 12), y: between(-14, 6) };
  const noise = between(1.5, 5);
  const band = rng() < 0.3
    ? { angle: between(0, Math.PI), offset: between(-0.3, 0.3), width: between(0.12, 0.3), level: between(8, 22) }
    : undefined;

  // Seeing: one PSF width per image, a little jitter per star; a third of the skies are Moffat.
  const seeing = between(0.9, 2.6);
  const moffat = rng() < 0.35;
  const beta = between(2.5, 4.5);
  // Stars per megapixel, log-uniform: a sparse wide field to a rich Milky Way field.
  const density = Math.exp(between(Math.log(30), Math.log(1500)));
  const count = Math.min(6000, Math.max(20, Math.round((density * width * height) / 1e6)));
  // A few crowded regions (clusters) take part of the stars; a band gathers some too.
  const clusters = Array.from({ length: Math.floor(between(0, 3.6)) }, () => ({
    x: between(0.1, 0.9) * width, y: between(0.1, 0.9) * height, r: between(20, 120), share: between(0.03, 0.12),
  }));
  const faintest = 2.5 * noise;

  const stars: SkyStar[] = [];
  for (let k = 0; k < count; k++) {
    let x: number;
    let y: number;
    const pick = rng();
    const cluster = pickCluster(clusters, pick);
    if (cluster) {
      x = cluster.x + normal() * cluster.r;
      y = cluster.y + normal() * cluster.r;
    } else if (band && pick > 0.55) {
      const along = between(-1, 1) * (width + height);
      const across = normal() * band.width * 0.6 * Math.hypot(width, height);
      x = width / 2 + Math.cos(band.angle) * along - Math.sin(band.angle) * (across + band.offset * height);
      y = height / 2 + Math.sin(band.angle) * along + Math.cos(band.angle) * (across + band.offset * height);
    } else {
      x = rng() * (width - 1);
      y = rng() * (height - 1);
    }
    if (x < 0 || y < 0 || x > width - 1 || y > height - 1) {
      k--; // off the image: draw another (the loop ends, as most of the image takes uniform stars)
      continue;
    }
    // Brightness follows a power law, N(> A) ∝ 1/A: many faint stars, a few saturated ones.
    const amplitude = Math.min(3000, faintest / (1 - rng()));
    const colour = normal() * 0.08;
    const tint = colour > 0 ? [1, 1 - colour * 0.6, 1 - colour] : [1 + colour, 1 + colour * 0.5, 1];
    stars.push({
      x: round2(x),
      y: round2(y),
      peak: Math.round(Math.min(255, amplitude) * 10) / 10,
      amplitude: Math.round(amplitude * 10) / 10,
      sigma: round2(seeing * between(0.9, 1.1)),
      profile: moffat ? 'moffat' : 'gaussian',
      beta: round2(beta),
      // Scattered light: bright stars in real images are bigger than their core, not flat discs.
      halo: !moffat && amplitude > 100 ? 0.03 : 0,
      tint: tint.map((v) => Math.max(0.6, round2(v))) as [number, number, number],
    });
  }
  return {
    seed, index, width, height, format, skyLevel, gradient, noise, ...(band ? { band } : {}), stars,
    ...planExtras(seed, index, width, height),
  };
}

function pickCluster<T extends { share: number }>(clusters: readonly T[], pick: number): T | undefined {
  let sum = 0;
  for (const c of clusters) {
    sum += c.share;
    if (pick < sum) return c;
  }
  return undefined;
}

/** Mostly moderate sizes so that a 24-image demo is quick; now and then the smallest or a big one. */
function planSize(rng: () => number): { width: number; height: number } {
  const kind = rng();
  if (kind < 0.06) return { width: 512, height: 512 };
  const even = (v: number): number => 2 * Math.round(v / 2);
  const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
  const aspects = [1, 4 / 3, 3 / 2, 16 / 9, 3 / 4, 2 / 3];
  const aspect = aspects[Math.floor(rng() * aspects.length)] ?? 1;
  const width = kind < 0.14 ? 2400 + rng() * 600 : 800 + rng() * 1200;
  const height = clamp(width / aspect, SKY_LIMITS.minHeight, SKY_LIMITS.maxHeight);
  return { width: even(clamp(height * aspect, SKY_LIMITS.minWidth, SKY_LIMITS.maxWidth)), height: even(height) };
}

/** Stars whose peak is under this many times the noise are faint: too faint to count either way. */
export const FAINT_SNR = 5;

/**
 * The true stars of a plan: centres in pixels (pixel centres at whole numbers), peaks above the sky,
 * and whether each is faint (its peak, before clipping, under FAINT_SNR times the noise).
 */
export function truthOf(plan: SkyPlan): TrueStar[] {
  return plan.stars.map(({ x, y, peak, amplitude }) => ({ x, y, peak, faint: amplitude < FAINT_SNR * plan.noise }));
}

