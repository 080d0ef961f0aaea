import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coarseMask, coarseSky } from '../../../src/analysis/sky/coarse.js';
import { connectedComponents } from '../../../src/analysis/sky/components.js';
import type { SkyObject } from '../../../src/analysis/sky/detect.js';
import { DEFAULT_SKY_PARAMS, type SkyParams } from '../../../src/analysis/sky/params.js';
import { noiseRatios, PatchMeasurer } from '../../../src/analysis/sky/patch.js';
import { mulberry32 } from '../../../src/sources/demo/sky.js';
import { skyPixels, type SyntheticStar } from '../../helpers/sky.js';

const width = 160;
const height = 128;
const SKY = 30;
const NOISE = 2;

/** Gaussian stars on a flat sky with white noise of σ NOISE, 8-bit (deterministic). */
function noisySky(stars: readonly SyntheticStar[]): Uint8Array {
  const light = skyPixels(width, height, stars);
  const rng = mulberry32(11);
  return light.map((v) => {
    const noise = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()) * NOISE;
    return Math.max(0, Math.min(255, Math.round(v + SKY + noise)));
  });
}

/** Every component of `data` measured at full resolution: the components' count and the objects, brightest first. */
function measurePatches(data: Uint8Array, params: SkyParams = DEFAULT_SKY_PARAMS): { components: number; objects: SkyObject[] } {
  const image = { data, width, height };
  const coarse = coarseSky(image, params.meshSize, params.meshFilter);
  const components = connectedComponents(coarseMask(coarse, params.threshold), coarse.width, coarse.height, 2);
  const measurer = new PatchMeasurer(image, coarse, components, noiseRatios(image, coarse), params);
  const objects: SkyObject[] = [];
  for (let c = 0; c < components.count; c++) measurer.measure(c, objects);
  return { components: components.count, objects: objects.sort((a, b) => b.peak - a.peak) };
}

const near = (object: SkyObject, star: SyntheticStar, within: number): boolean =>
  Math.hypot(object.x - star.x, object.y - star.y) < within;

test('a pair of stars 6 px apart is one detection, split into two stars, each at its centre with its light', () => {
  const bright: SyntheticStar = { x: 70.3, y: 60.6, sigma: 1.5, peak: 160 };
  const faint: SyntheticStar = { x: 76.2, y: 61.1, sigma: 1.5, peak: 60 };
  const { components, objects } = measurePatches(noisySky([bright, faint]));
  assert.equal(components, 1);
  assert.equal(objects.length, 2);
  const [first, second] = objects as [SkyObject, SkyObject];
  assert.ok(near(first, bright, 0.15), `bright star at ${first.x}, ${first.y}`);
  assert.ok(near(second, faint, 0.35), `faint star at ${second.x}, ${second.y}`);
  // Peaks above the sky, within the noise and the pixel grid of the true heights.
  assert.ok(Math.abs(first.peak - 160) < 12 && Math.abs(second.peak - 60) < 10, `peaks ${first.peak}, ${second.peak}`);
  // A Gaussian's light is 2πσ²·peak: each star keeps most of its own, not its neighbour's.
  const lightOf = (s: SyntheticStar): number => 2 * Math.PI * s.sigma ** 2 * s.peak;
  assert.ok(first.flux > 0.8 * lightOf(bright) && first.flux < 1.05 * lightOf(bright), `bright flux ${first.flux}`);
  assert.ok(second.flux > 0.6 * lightOf(faint) && second.flux < 1.2 * lightOf(faint), `faint flux ${second.flux}`);
  // Its measured noise is the image's.
  assert.ok(Math.abs(first.noise - NOISE) < 0.4, `noise ${first.noise}`);
  assert.ok(!first.saturated && !second.saturated);
});

test('stars at the image\'s edges are cut out within it and measured where they are', () => {
  const stars: SyntheticStar[] = [
    { x: 2.4, y: 40.2, sigma: 1.4, peak: 120 },
    { x: 100.5, y: 1.7, sigma: 1.4, peak: 120 },
    { x: 157.6, y: 125.3, sigma: 1.4, peak: 120 },
  ];
  const { objects } = measurePatches(noisySky(stars));
  assert.equal(objects.length, 3);
  for (const star of stars) {
    assert.ok(objects.some((o) => near(o, star, 0.4)), `no object near ${star.x}, ${star.y}: ${objects.map((o) => `${o.x.toFixed(2)},${o.y.toFixed(2)}`).join(' ')}`);
  }
});

test('a saturated star is flagged saturated, its neighbour 20 px away measured on its own', () => {
  const star: SyntheticStar = { x: 50.5, y: 64.5, sigma: 2, peak: 600 };
  const neighbour: SyntheticStar = { x: 70.2, y: 64.8, sigma: 1.5, peak: 80 };
  const { components, objects } = measurePatches(noisySky([star, neighbour]));
  assert.equal(components, 2);
  assert.equal(objects.length, 2);
  const [saturated, other] = objects as [SkyObject, SkyObject];
  assert.ok(saturated.saturated && near(saturated, star, 0.3), `saturated at ${saturated.x}, ${saturated.y}`);
  assert.ok(!other.saturated && near(other, neighbour, 0.2), `neighbour at ${other.x}, ${other.y}`);
});
