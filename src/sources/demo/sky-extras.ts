/**
 * What makes a generated sky hard to count, besides its stars: nebulosity, hot pixels, cosmic rays
 * and the diffraction spikes of bright stars. Planned from a random stream of their own, so that
 * the stars and sky of a plan stay what they were before these were added.
 */
import { mixSeed, mulberry32, normalFrom } from './sky-random.js';

/** One elongated Gaussian cloud of a nebula, much wider than any star. */
export interface NebulaClump {
  x: number;
  y: number;
  /** Sigmas along and across `angle`, in pixels (at least NEBULA_MIN_SIGMA). */
  major: number;
  minor: number;
  angle: number;
  /** Brightness at the centre (per channel, before the tint). */
  level: number;
  tint: readonly [number, number, number];
}

/** A sensor defect: one pixel brighter than its neighbours, whatever the sky. */
export interface HotPixel {
  x: number;
  y: number;
  value: number;
}

/** A cosmic-ray hit: a short, one-pixel-wide streak. */
export interface CosmicRay {
  x: number;
  y: number;
  angle: number;
  /** Length in pixels. */
  length: number;
  value: number;
}

export interface SkyExtras {
  nebulae: NebulaClump[];
  hotPixels: HotPixel[];
  cosmicRays: CosmicRay[];
  /** The angle of the four diffraction spikes bright stars get (a reflector's spider), or none. */
  spikeAngle?: number;
}

/** The narrowest nebula clump: several times wider than the widest star. */
export const NEBULA_MIN_SIGMA = 12;

/** Stars brighter than this (before clipping) get spikes when the sky has them. */
export const SPIKE_MIN_AMPLITUDE = 500;

const round2 = (v: number): number => Math.round(v * 100) / 100;

/** The extras of demo image `index` for `seed`, in a `width` × `height` image. */
export function planExtras(seed: number, index: number, width: number, height: number): SkyExtras {
  const rng = mulberry32(mixSeed(seed, index, 0xe7a5));
  const between = (lo: number, hi: number): number => lo + (hi - lo) * rng();
  const megapixels = (width * height) / 1e6;

  const nebulae: NebulaClump[] = [];
  if (rng() < 0.4) {
    for (let n = Math.floor(between(1, 2.99)); n > 0; n--) {
      const cx = between(0.15, 0.85) * width;
      const cy = between(0.15, 0.85) * height;
      const spread = between(60, 300);
      // Emission nebulae are red (hydrogen alpha), reflection nebulae blue.
      const tint = rng() < 0.6 ? [1, 0.45, 0.55] as const : [0.55, 0.7, 1] as const;
      for (let k = Math.floor(between(4, 14.99)); k > 0; k--) {
        const major = between(NEBULA_MIN_SIGMA, 150);
        nebulae.push({
          x: round2(cx + normalFrom(rng) * spread),
          y: round2(cy + normalFrom(rng) * spread),
          major: round2(major),
          minor: round2(Math.max(NEBULA_MIN_SIGMA, major * between(0.25, 1))),
          angle: round2(between(0, Math.PI)),
          level: round2(between(4, 40)),
          tint,
        });
      }
    }
  }

  const hotPixels = Array.from({ length: Math.round(megapixels * between(3, 30)) }, () => ({
    x: Math.floor(rng() * width),
    y: Math.floor(rng() * height),
    value: Math.round(20 * (255 / 20) ** rng()),
  }));
  const cosmicRays = Array.from({ length: Math.floor(between(0, 7)) }, () => ({
    x: round2(between(10, width - 10)),
    y: round2(between(10, height - 10)),
    angle: round2(between(0, Math.PI)),
    length: round2(between(2, 8)),
    value: Math.round(between(60, 255)),
  }));
  const spikeAngle = rng() < 0.5 ? round2(between(0, Math.PI / 2)) : undefined;
  return { nebulae, hotPixels, cosmicRays, ...(spikeAngle === undefined ? {} : { spikeAngle }) };
}
