/** Drawing the light of a sky's stars and extras into RGB float pixels (width × height × 3). */
import type { CosmicRay, HotPixel, NebulaClump } from './sky-extras.js';
import { SPIKE_MIN_AMPLITUDE } from './sky-extras.js';
import { HALO_WIDTH, type SkyStar } from './sky.js';

/** Adds one star's light into `light` (RGB floats): its core, and a faint wide halo when bright. */
export function drawStar(light: Float32Array, width: number, height: number, star: SkyStar, spikeAngle?: number): void {
  const core = star.amplitude * (1 - star.halo);
  if (star.profile === 'moffat') drawMoffat(light, width, height, star, core);
  else drawGaussian(light, width, height, star, core, star.sigma);
  if (star.halo > 0) drawGaussian(light, width, height, star, star.amplitude * star.halo, star.sigma * HALO_WIDTH);
  if (spikeAngle !== undefined && star.amplitude > SPIKE_MIN_AMPLITUDE) drawSpikes(light, width, height, star, spikeAngle);
}

/**
 * Four diffraction spikes (two thin lines through the star, at `angle` and a right angle to it),
 * fading as the square of the distance, out to where they drop under half a grey level.
 */
function drawSpikes(light: Float32Array, width: number, height: number, star: SkyStar, angle: number): void {
  const { x: cx, y: cy, sigma, tint: [tr, tg, tb] } = star;
  const a = 0.15 * star.amplitude;
  const scale = 2 * sigma;
  const reach = Math.min(150, Math.ceil(scale * (Math.sqrt(a / 0.5) - 1)));
  const [x0, x1, y0, y1] = window(width, height, cx, cy, reach);
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const across = -1 / (2 * Math.max(0.5, 0.5 * sigma) ** 2);
  const along = (t: number): number => a * (scale / (scale + Math.abs(t))) ** 2;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0, i = (y * width + x0) * 3; x <= x1; x++, i += 3) {
      const u = (x - cx) * c + (y - cy) * s;
      const v = (y - cy) * c - (x - cx) * s;
      const value = along(u) * Math.exp(across * v * v) + along(v) * Math.exp(across * u * u);
      light[i]! += value * tr;
      light[i + 1]! += value * tg;
      light[i + 2]! += value * tb;
    }
  }
}

/** A nebula's clump: an elongated Gaussian cloud, out to 3.5 sigmas. */
export function drawNebulaClump(light: Float32Array, width: number, height: number, clump: NebulaClump): void {
  const { x: cx, y: cy, major, minor, level, tint: [tr, tg, tb] } = clump;
  const [x0, x1, y0, y1] = window(width, height, cx, cy, Math.ceil(3.5 * major));
  const c = Math.cos(clump.angle);
  const s = Math.sin(clump.angle);
  const ku = -1 / (2 * major * major);
  const kv = -1 / (2 * minor * minor);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0, i = (y * width + x0) * 3; x <= x1; x++, i += 3) {
      const u = (x - cx) * c + (y - cy) * s;
      const v = (y - cy) * c - (x - cx) * s;
      const value = level * Math.exp(ku * u * u + kv * v * v);
      light[i]! += value * tr;
      light[i + 1]! += value * tg;
      light[i + 2]! += value * tb;
    }
  }
}

export function drawHotPixel(light: Float32Array, width: number, hot: HotPixel): void {
  const i = (hot.y * width + hot.x) * 3;
  light[i]! += hot.value;
  light[i + 1]! += hot.value;
  light[i + 2]! += hot.value;
}

/** A cosmic ray: every pixel its straight track crosses gets `value` once. */
export function drawCosmicRay(light: Float32Array, width: number, height: number, ray: CosmicRay): void {
  const hit = new Set<number>();
  for (let t = 0; t <= ray.length; t += 0.25) {
    const x = Math.round(ray.x + t * Math.cos(ray.angle));
    const y = Math.round(ray.y + t * Math.sin(ray.angle));
    if (x >= 0 && y >= 0 && x < width && y < height) hit.add(y * width + x);
  }
  for (const p of hit) {
    light[p * 3]! += ray.value;
    light[p * 3 + 1]! += ray.value;
    light[p * 3 + 2]! += ray.value;
  }
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
