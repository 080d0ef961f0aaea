/**
 * The demo's generated skies: a seeded plan (size, sky, stars) and a renderer that draws it into
 * 8-bit RGB pixels. Pure and deterministic: the same seed and index give the same plan and bytes,
 * so the true stars of every demo image are known without storing anything.
 */
import type { TrueStar } from '../remote.js';

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

export interface SkyPlan {
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

/** mulberry32: a small, fast, seeded PRNG giving floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One 32-bit seed from the run's seed and the image index (murmur3's finaliser mixes the bits). */
function mixSeed(seed: number, index: number, salt: number): number {
  let h = Math.imul(seed | 0, 0x9e3779b1) ^ Math.floor(seed / 2 ** 32) ^ Math.imul(index + 1, 0x85ebca77) ^ salt;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

/** The plan of demo image `index` for `seed`: what renderSky draws and where its true stars are. */
export function skyPlan(seed: number, index: number): SkyPlan {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`The demo seed must be a whole number, but received ${seed}.`);
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`The demo image index must be a whole number ≥ 0, but received ${index}.`);
  const rng = mulberry32(mixSeed(seed, index, 0x51ed));
  const between = (lo: number, hi: number): number => lo + (hi - lo) * rng();
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());

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
  return { seed, index, width, height, format, skyLevel, gradient, noise, ...(band ? { band } : {}), stars };
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

/** The true stars of a plan: centres in pixels (pixel centres at whole numbers) and peaks above the sky. */
export function truthOf(plan: SkyPlan): TrueStar[] {
  return plan.stars.map(({ x, y, peak }) => ({ x, y, peak }));
}

/** Draws a plan: RGB, 8 bits a channel, row by row (width × height × 3 bytes). */
export function renderSky(plan: SkyPlan): Uint8Array {
  const { width, height } = plan;
  const light = new Float32Array(width * height * 3);
  for (const star of plan.stars) drawStar(light, width, height, star);

  const noise = noiseTable(mixSeed(plan.seed, plan.index, 0x7a11), plan.noise);
  let state = mixSeed(plan.seed, plan.index, 0xbeef) | 1;
  const [r0, g0, b0] = plan.skyLevel;
  const columnSky = Float32Array.from({ length: width }, (_, x) => plan.gradient.x * (x / width - 0.5));
  const rowSky = new Float32Array(width);
  const out = new Uint8Array(light.length);
  for (let y = 0, i = 0; y < height; y++) {
    skyRow(plan, y, columnSky, rowSky);
    for (let x = 0; x < width; x++, i += 3) {
      const k = 1 + rowSky[x]! / g0;
      // xorshift32 picks noise samples from the table: much cheaper than a Gaussian per channel.
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      out[i] = quantize(r0 * k + light[i]! + noise[state & 0xffff]!);
      out[i + 1] = quantize(g0 * k + light[i + 1]! + noise[(state >>> 8) & 0xffff]!);
      out[i + 2] = quantize(b0 * k + light[i + 2]! + noise[(state >>> 16) & 0xffff]!);
    }
  }
  return out;
}

const quantize = (v: number): number => (v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0);

/** 65,536 Gaussian samples with standard deviation `sigma`. */
function noiseTable(seed: number, sigma: number): Float32Array {
  const rng = mulberry32(seed);
  const table = new Float32Array(65536);
  for (let i = 0; i < table.length; i++) table[i] = sigma * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return table;
}

const BAND_STEPS = 64; // band table entries per band width, out to 4 widths
const bandTables = new WeakMap<SkyPlan, Float32Array>();

/** The sky above the level in row `y` (gradient, and the band if any) into `row`. */
function skyRow(plan: SkyPlan, y: number, columnSky: Float32Array, row: Float32Array): void {
  const base = plan.gradient.y * (y / plan.height - 0.5);
  const band = plan.band;
  if (!band) {
    for (let x = 0; x < row.length; x++) row[x] = base + columnSky[x]!;
    return;
  }
  // The band is a Gaussian across a line through the image; its signed distance is linear in x.
  let table = bandTables.get(plan);
  if (!table) {
    const level = band.level;
    table = Float32Array.from({ length: 4 * BAND_STEPS + 1 }, (_, j) => level * Math.exp(-2 * (j / BAND_STEPS) ** 2));
    bandTables.set(plan, table);
  }
  const scale = band.width * Math.hypot(plan.width, plan.height);
  const nx = -Math.sin(band.angle) / scale;
  const ny = Math.cos(band.angle) / scale;
  const d0 = ny * (y - plan.height / 2) - nx * (plan.width / 2) - (band.offset * plan.height) / scale;
  const last = 4 * BAND_STEPS;
  for (let x = 0; x < row.length; x++) {
    const j = Math.abs(d0 + nx * x) * BAND_STEPS;
    row[x] = base + columnSky[x]! + table[j < last ? j | 0 : last]!;
  }
}

/** Adds one star's light into `light` (RGB floats): its core, and a faint wide halo when bright. */
function drawStar(light: Float32Array, width: number, height: number, star: SkyStar): void {
  const core = star.amplitude * (1 - star.halo);
  if (star.profile === 'moffat') drawMoffat(light, width, height, star, core);
  else drawGaussian(light, width, height, star, core, star.sigma);
  if (star.halo > 0) drawGaussian(light, width, height, star, star.amplitude * star.halo, star.sigma * HALO_WIDTH);
}

/** The window a profile reaches, clipped to the image. */
function window(width: number, height: number, cx: number, cy: number, reach: number): [number, number, number, number] {
  return [Math.max(0, Math.floor(cx) - reach), Math.min(width - 1, Math.ceil(cx) + reach),
    Math.max(0, Math.floor(cy) - reach), Math.min(height - 1, Math.ceil(cy) + reach)];
}

function drawGaussian(light: Float32Array, width: number, height: number, star: SkyStar, a: number, sigma: number): void {
  const { x: cx, y: cy, tint: [tr, tg, tb] } = star;
  // Out to where it falls below a quarter of a grey level, and at least 4 sigma.
  const [x0, x1, y0, y1] = window(width, height, cx, cy, Math.ceil(sigma * Math.max(4, Math.sqrt(2 * Math.log(4 * a)))));
  // Separable: exp(-(dx² + dy²) / 2σ²) = ex[dx] · ey[dy].
  const k = -1 / (2 * sigma * sigma);
  const ex = new Float32Array(x1 - x0 + 1);
  for (let x = x0; x <= x1; x++) ex[x - x0] = Math.exp(k * (x - cx) ** 2);
  for (let y = y0; y <= y1; y++) {
    const ay = a * Math.exp(k * (y - cy) ** 2);
    for (let x = x0, i = (y * width + x0) * 3; x <= x1; x++, i += 3) {
      const v = ay * ex[x - x0]!;
      light[i]! += v * tr;
      light[i + 1]! += v * tg;
      light[i + 2]! += v * tb;
    }
  }
}

/** Moffat: a (1 + r²/α²)^-β, with α giving the same FWHM as a Gaussian of the star's sigma. */
function drawMoffat(light: Float32Array, width: number, height: number, star: SkyStar, a: number): void {
  const { x: cx, y: cy, beta, tint: [tr, tg, tb] } = star;
  const alpha = (2.3548 * star.sigma) / (2 * Math.sqrt(2 ** (1 / beta) - 1));
  const reach = Math.ceil(Math.min(40, Math.max(4 * star.sigma, alpha * Math.sqrt((4 * a) ** (1 / beta) - 1))));
  const [x0, x1, y0, y1] = window(width, height, cx, cy, reach);
  const inv = 1 / (alpha * alpha);
  for (let y = y0; y <= y1; y++) {
    const dy2 = (y - cy) ** 2;
    for (let x = x0, i = (y * width + x0) * 3; x <= x1; x++, i += 3) {
      const v = a * (1 + ((x - cx) ** 2 + dy2) * inv) ** -beta;
      light[i]! += v * tr;
      light[i + 1]! += v * tg;
      light[i + 2]! += v * tb;
    }
  }
}
