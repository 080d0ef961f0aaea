import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SkyObject } from '../../../src/analysis/sky/detect.js';
import { refineObjects, SPLIT_DEFAULTS } from '../../../src/analysis/sky/refine.js';
import { skyPixels } from '../../helpers/sky.js';

const width = 80;
const height = 60;
const sigma = 1.5;

/** An 8-bit image: a flat sky of 20 and round Gaussians of σ 1.5. */
function image(stars: { x: number; y: number; amplitude: number }[]): Uint8Array {
  const light = skyPixels(width, height, stars.map((s) => ({ x: s.x, y: s.y, sigma, peak: s.amplitude })));
  return light.map((v) => Math.min(255, v + 20));
}

/** A measured object as the moments left it: at (x, y), round, of the typical width. */
const object = (x: number, y: number, peak: number, extra: Partial<SkyObject> = {}): SkyObject => ({
  x, y, peak, fwhm: 2.3548 * sigma, coreWidth: 3, flux: 1000, peakPixel: 0, saturated: false, area: 20,
  ellipticity: 0.1, sharpness: 0.6, snr: 50, noise: 2, ...extra,
});

const options = { sigma, saturation: 250, ...SPLIT_DEFAULTS };

test('two stars 3 px apart measured as one object become two, each within 0.05 px', () => {
  const pair = [{ x: 30.2, y: 30.4, amplitude: 90 }, { x: 32.6, y: 32.2, amplitude: 60 }];
  // The moments' centre: between them, nearer the brighter.
  const out = refineObjects({ data: image(pair), width, height }, [object(31.2, 31.1, 95)], options);
  assert.equal(out.length, 2, JSON.stringify(out));
  for (const [i, s] of pair.entries()) {
    assert.ok(Math.hypot(out[i]!.x - s.x, out[i]!.y - s.y) < 0.05, `star ${i} at ${out[i]!.x}, ${out[i]!.y}`);
    assert.ok(Math.abs(out[i]!.peak - s.amplitude) < 2, `star ${i} peak ${out[i]!.peak}`);
  }
  assert.ok(Math.abs(out[0]!.flux / out[1]!.flux - 1.5) < 0.05, 'the flux is shared as the heights');
  assert.deepEqual(out.map((s) => s.ellipticity), [0, 0]);
  // Unless the object may not be two (the detector's filters reject it as it is).
  assert.equal(refineObjects({ data: image(pair), width, height }, [object(31.2, 31.1, 95)], { ...options, splittable: () => false }).length, 1);
});

test('a single star stays one; its centre moves halfway to the fitted one', () => {
  const out = refineObjects({ data: image([{ x: 40.3, y: 20.7, amplitude: 70 }]), width, height }, [object(40.5, 20.5, 70)], options);
  assert.equal(out.length, 1);
  assert.ok(Math.hypot(out[0]!.x - 40.4, out[0]!.y - 20.6) < 0.02, `${out[0]!.x}, ${out[0]!.y}`);
});

test('two neighbours already found are not split again; a saturated star is left as measured', () => {
  const stars = [{ x: 30.2, y: 30.4, amplitude: 90 }, { x: 33.4, y: 32.2, amplitude: 80 }, { x: 60, y: 40, amplitude: 400 }];
  const objects = [object(30.1, 30.3, 90), object(33.5, 32.3, 80), object(60.2, 40.1, 235, { saturated: true })];
  const out = refineObjects({ data: image(stars), width, height }, objects, options);
  assert.equal(out.length, 3);
  // Each one's centre fitted alongside its neighbour's light, not pulled by it.
  for (const i of [0, 1]) assert.ok(Math.hypot(out[i]!.x - stars[i]!.x, out[i]!.y - stars[i]!.y) < 0.06, `star ${i} at ${out[i]!.x}, ${out[i]!.y}`);
  assert.equal(out[2], objects[2]);
});
