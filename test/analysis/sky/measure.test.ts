import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adaptiveMoments, localSky, measureStar, sharpness } from '../../../src/analysis/sky/measure.js';

const width = 41;
const height = 41;

function gaussian(cx: number, cy: number, sigma: number, peak: number, into: Float32Array = new Float32Array(width * height)): Float32Array {
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) into[y * width + x]! += peak * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sigma * sigma));
  }
  return into;
}

const noOwner = (): Int32Array => new Int32Array(width * height).fill(-1);

test('adaptive moments find a Gaussian star\'s sub-pixel centre and width', () => {
  for (const [cx, cy, sigma] of [[20.3, 19.6, 1.2], [20.5, 20.5, 0.9], [19.8, 20.25, 2.5]] as const) {
    const residual = gaussian(cx, cy, sigma, 100);
    const m = adaptiveMoments({ residual, owner: noOwner(), width, height }, 0, Math.round(cx), Math.round(cy), 1.5);
    assert.ok(Math.abs(m.x - cx) < 0.005 && Math.abs(m.y - cy) < 0.005, `centre ${m.x},${m.y} for ${cx},${cy}`);
    // Pixels add 1/12 px² to the variance of a sampled Gaussian.
    assert.ok(Math.abs(m.sigma - Math.sqrt(sigma * sigma + 1 / 12)) < 0.05, `sigma ${m.sigma} for ${sigma}`);
    assert.ok(m.ellipticity < 0.02, `ellipticity ${m.ellipticity}`);
  }
});

test('the window\'s width closes in on a well-sampled star\'s in a few passes: its geometric series is summed', () => {
  // From a window half the star's width, each pass halves the gap: 9 passes unsummed.
  const residual = gaussian(20, 20, 3, 100);
  const m = adaptiveMoments({ residual, owner: noOwner(), width, height }, 0, 20, 20, 1.5);
  // Sampled at the pixels' centres, the star's σ is its own.
  assert.ok(Math.abs(m.sigma - 3) < 0.01, `sigma ${m.sigma}`);
  assert.equal(m.passes, 7);
});

test('a neighbour\'s light is replaced by its mirror: the centre stays put', () => {
  const residual = gaussian(18.4, 20.2, 1.5, 100);
  gaussian(24.4, 20.2, 1.5, 300, residual);
  const owner = noOwner();
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) owner[y * width + x] = x >= 21 ? 1 : 0;
  const cleaned = adaptiveMoments({ residual, owner, width, height }, 0, 18, 20, 1.5);
  // Mirror pixels are whole pixels: a few hundredths of a pixel is what the rounding costs.
  assert.ok(Math.abs(cleaned.x - 18.4) < 0.1 && Math.abs(cleaned.y - 20.2) < 0.02, `cleaned ${cleaned.x},${cleaned.y}`);
  const pulled = adaptiveMoments({ residual, owner: noOwner(), width, height }, 0, 18, 20, 1.5);
  assert.ok(Math.abs(pulled.x - 18.4) > 0.3, `without cleaning the neighbour pulls it off: ${pulled.x}`);
});

test('an elongated streak has a high ellipticity', () => {
  const residual = new Float32Array(width * height);
  for (let x = 10; x <= 30; x++) gaussian(x, 20, 0.8, 20, residual);
  const m = adaptiveMoments({ residual, owner: noOwner(), width, height }, 0, 20, 20, 1.5);
  assert.ok(m.ellipticity > 0.8, `ellipticity ${m.ellipticity}`);
});

test('sharpness: 0 for a hot pixel or a diagonal track, about exp(-1/2σ²) for a star, more for one straddling two pixels', () => {
  const hot = new Float32Array(width * height);
  hot[20 * width + 20] = 100;
  assert.equal(sharpness({ residual: hot, width, height }, 20, 20), 0);
  const track = new Float32Array(width * height);
  for (let d = -5; d <= 5; d++) track[(20 + d) * width + 20 + d] = 100;
  assert.equal(sharpness({ residual: track, width, height }, 20, 20), 0);
  // A star of 1 px straddling two pixels, its wings lost under a clipped black sky.
  const pair = new Float32Array(width * height);
  pair[20 * width + 20] = 120;
  pair[20 * width + 19] = 80;
  assert.equal(sharpness({ residual: pair, width, height }, 20, 20), 80 / 480);
  const star = gaussian(20, 20, 1, 100);
  assert.ok(Math.abs(sharpness({ residual: star, width, height }, 20, 20) - Math.exp(-0.5)) < 1e-6);
});

test('localSky: the median of the ring around a star, without the star or other objects', () => {
  const residual = gaussian(20, 20, 1.5, 100);
  for (let p = 0; p < residual.length; p++) residual[p]! += 5;
  assert.equal(localSky({ residual, owner: noOwner(), width, height }, 20, 20), 5);
  const owner = noOwner();
  const ring = residual.slice();
  // Another object covers part of the ring at 50: it is left out.
  for (let y = 8; y < 14; y++) for (let x = 0; x < width; x++) {
    ring[y * width + x] = 50;
    owner[y * width + x] = 2;
  }
  assert.equal(localSky({ residual: ring, owner, width, height }, 20, 20), 5);
});

test('measureStar: flux, peak, saturation, and the centre of a flat saturated top', () => {
  const residual = gaussian(20.25, 19.75, 1.5, 400);
  const data = Uint8Array.from(residual, (v) => Math.min(255, Math.round(v)));
  const owner = noOwner();
  const pixels = Array.from({ length: width * height }, (_, p) => p).filter((p) => residual[p]! > 5);
  for (const p of pixels) owner[p] = 0;
  const clipped = Float32Array.from(data);
  const ctx = { residual: clipped, data, owner, noise: new Float32Array(width * height).fill(1), width, height, saturation: 250 };
  const m = measureStar(ctx, 0, pixels, pixels[0]!);
  assert.equal(m.saturated, true);
  assert.equal(m.peak, 255);
  assert.ok(Math.abs(m.x - 20.25) < 0.05 && Math.abs(m.y - 19.75) < 0.05, `centre ${m.x},${m.y}`);
  assert.equal(m.flux, pixels.reduce((a, p) => a + clipped[p]!, 0));
  assert.equal(m.area, pixels.length);
  assert.ok(m.snr > 100);
});
