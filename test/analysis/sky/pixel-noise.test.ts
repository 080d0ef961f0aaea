import assert from 'node:assert/strict';
import { test } from 'node:test';
import { differenceSpread, pixelNoiseLimit } from '../../../src/analysis/sky/pixel-noise.js';
import { mulberry32 } from '../../../src/sources/demo/sky.js';

/** A width × height sky at grey level 40 with Gaussian noise of `sigma`, and `light` added per pixel. */
function sky(width: number, height: number, sigma: number, light: (x: number, y: number) => number = () => 0): { data: Uint8Array; width: number; height: number } {
  const rng = mulberry32(11);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const noise = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()) * sigma;
      data[y * width + x] = Math.max(0, Math.min(255, Math.round(40 + light(x, y) + noise)));
    }
  }
  return { data, width, height };
}

/** Round Gaussian stars of σ 1.2 px and height 60 at `centres`. */
const stars = (centres: readonly (readonly [number, number])[]) => (x: number, y: number): number =>
  centres.reduce((sum, [cx, cy]) => sum + 60 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * 1.2 ** 2)), 0);

test('differenceSpread: the median absolute deviation of 2·I(x) − I(x−1) − I(x+1), which a few stars do not move', () => {
  // White noise of σ 4: the second difference has σ 4·√6, its MAD 0.6745 of that (6.61).
  const noise = differenceSpread(sky(128, 128, 4), 0, 0, 1, 1);
  assert.ok(Math.abs(noise - 0.6745 * Math.sqrt(6) * 4) < 0.3, `spread ${noise}`);
  // A flat sky: all in one bin, spread over its unit, half of it within ¼ of the middle.
  assert.equal(differenceSpread(sky(64, 64, 0), 0, 0, 1, 1), 0.25);
  // Four stars in the cell: their steep pixels are a few percent of its pixels.
  const starry = differenceSpread(sky(128, 128, 4, stars([[20, 20], [90, 30], [40, 100], [100, 100]])), 0, 0, 1, 1);
  assert.ok(Math.abs(starry - noise) < 0.05 * noise, `with stars ${starry}, without ${noise}`);
  // Cell (1, 0) of a 2 × 1 mesh is the right half: its own noise, not the left's.
  const halves = sky(128, 64, 4);
  // (its last column's difference reads the first pixel of the next cell: flat too)
  for (let p = 0; p < halves.data.length; p++) if (p % 128 <= 64) halves.data[p] = 40;
  assert.equal(differenceSpread(halves, 0, 0, 2, 1), 0.25);
  assert.ok(differenceSpread(halves, 1, 0, 2, 1) > 5);
});

test('pixelNoiseLimit: a crowded cell\'s σ comes down halfway towards its pixel noise; a smooth light\'s stays', () => {
  // A 4 × 4 mesh of 64-pixel cells (32 coarse pixels each): cell 5 crowded with stars 4 px apart,
  // cell 10 under a smooth hill of light (σ 30 px), both with the wide clipped σ a mesh gives them.
  const crowded: [number, number][] = [];
  for (let y = 66; y < 126; y += 4) for (let x = 66; x < 126; x += 4) crowded.push([x + (y % 8) / 2, y]);
  const hill = (x: number, y: number): number => 60 * Math.exp(-((x - 160) ** 2 + (y - 160) ** 2) / (2 * 30 ** 2));
  const image = sky(256, 256, 3, (x, y) => stars(crowded)(x, y) + hill(x, y));
  const sigmas = new Float64Array(16).fill(10);
  sigmas[5] = 80;
  sigmas[10] = 80;
  const out = pixelNoiseLimit(sigmas, 4, 4, image);
  const ordinary = differenceSpread(image, 0, 0, 4, 4);
  const limit = (10 / ordinary) * differenceSpread(image, 1, 1, 4, 4);
  assert.ok(limit > 12.5 && limit < 80, `the crowded cell's pixel noise ${limit}`);
  // The scale is the median over the ordinary cells; theirs are the same noise, within a few percent.
  assert.ok(Math.abs(out[5]! - Math.sqrt(limit * 80)) < 0.05 * out[5]!, `crowded ${out[5]}, expected about ${Math.sqrt(limit * 80)}`);
  assert.equal(out[10], 80);
  assert.deepEqual(Array.from(out).filter((_, k) => k !== 5 && k !== 10), new Array(14).fill(10));
  // Clipped σ above the cap (10 × the median cell's) is taken at the cap: the cap applies anyway.
  sigmas[5] = 1000;
  const capped = pixelNoiseLimit(sigmas, 4, 4, image)[5]!;
  assert.ok(Math.abs(capped - Math.sqrt(limit * 100)) < 0.05 * capped, `capped ${capped}`);
  // Nothing stands out, or too few ordinary cells to calibrate on: unchanged.
  assert.deepEqual(Array.from(pixelNoiseLimit(new Float64Array(16).fill(10), 4, 4, image)), new Array(16).fill(10));
  const few = Float64Array.from({ length: 16 }, (_, k) => (k < 4 ? 10 : 80));
  assert.deepEqual(Array.from(pixelNoiseLimit(few, 4, 4, image)), Array.from(few));
});
