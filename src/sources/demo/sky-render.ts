/** Renders a sky plan into 8-bit RGB pixels: the light of its stars and extras, the sky, the noise. */
import { drawCosmicRay, drawHotPixel, drawNebulaClump, drawStar } from './sky-draw.js';
import type { SkyBuffers } from './sky-buffers.js';
import { mixSeed, mulberry32 } from './sky-random.js';
import type { SkyPlan } from './sky.js';

/**
 * Draws a plan: RGB, 8 bits a channel, row by row (width × height × 3 bytes), in new arrays or, for
 * a server drawing sky after sky, in `buffers`' (give the pixels back with `buffers.release`).
 */
export function renderSky(plan: SkyPlan, buffers?: SkyBuffers): Uint8Array {
  const { width, height } = plan;
  const size = width * height * 3;
  const light = buffers ? buffers.light(size) : new Float32Array(size);
  for (const clump of plan.nebulae) drawNebulaClump(light, width, height, clump);
  for (const star of plan.stars) drawStar(light, width, height, star, plan.spikeAngle);
  // Defects of the sensor and hits on it: added before the noise, as a camera records them.
  for (const hot of plan.hotPixels) drawHotPixel(light, width, hot);
  for (const ray of plan.cosmicRays) drawCosmicRay(light, width, height, ray);

  const noise = noiseTable(mixSeed(plan.seed, plan.index, 0x7a11), plan.noise);
  let state = mixSeed(plan.seed, plan.index, 0xbeef) | 1;
  const [r0, g0, b0] = plan.skyLevel;
  const columnSky = Float32Array.from({ length: width }, (_, x) => plan.gradient.x * (x / width - 0.5));
  const rowSky = new Float32Array(width);
  const out = buffers ? buffers.pixels(size) : new Uint8Array(size);
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
