import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SkyObject } from '../../../src/analysis/sky/detect.js';
import { fitGaussians } from '../../../src/analysis/sky/psf-fit.js';
import { coreFit, refineObjects, SPLIT_DEFAULTS } from '../../../src/analysis/sky/refine.js';
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

test('where its window holds more than one star and noise, a star is refitted on its core, where a faint neighbour 4 px out pulls it less', () => {
  const data = image([{ x: 40.3, y: 30.6, amplitude: 60 }, { x: 44.3, y: 30.6, amplitude: 12 }]);
  const win = { data, width, height, x0: 35, y0: 26, side: 11, saturation: 250 };
  const one = fitGaussians(win, sigma, [{ amplitude: 60, x: 40.5, y: 30.6 }])!;
  const core = coreFit(win, sigma, one, fitGaussians)!;
  // The whole window's fit is pulled 0.16 px towards the neighbour, the core's 0.07 px.
  assert.ok(Math.abs(one.stars[0]!.x - 40.456) < 0.005, `window ${one.stars[0]!.x}`);
  assert.ok(Math.abs(core.x - 40.37) < 0.005 && Math.abs(core.y - 30.6) < 0.005, `core ${core.x}, ${core.y}`);
  // Refined as one star (not to be split): the neighbour's light, 633 grey levels² of χ² over the
  // window's 121 pixels, is over 1.5 noise variances a pixel for a noise of 1.5, not for 2.
  const sides: number[] = [];
  const fit: typeof fitGaussians = (...args) => {
    sides.push(args[0].side);
    return fitGaussians(...args);
  };
  const refine = (noise: number): SkyObject => {
    sides.length = 0;
    const out = refineObjects({ data, width, height }, [object(40.3, 30.6, 60, { noise })], { ...options, fit, splittable: () => false });
    assert.equal(out.length, 1);
    return out[0]!;
  };
  // Crowded: the core fit's centre alone; else halfway between the window's fit and the moments.
  const crowded = refine(1.5);
  assert.deepEqual(sides, [11, 5]);
  assert.ok(Math.abs(crowded.x - core.x) < 0.005, `${crowded.x}`);
  const quiet = refine(2);
  assert.deepEqual(sides, [11]);
  assert.ok(Math.abs(quiet.x - (0.5 * one.stars[0]!.x + 0.5 * 40.3)) < 0.005, `${quiet.x}`);
});

test('an object that will not be kept is passed on as it is, unfitted', () => {
  const data = image([{ x: 40.3, y: 20.7, amplitude: 70 }]);
  const calls: number[] = [];
  const fit: typeof fitGaussians = (...args) => {
    calls.push(args[2].length);
    return fitGaussians(...args);
  };
  const measured = object(40.5, 20.5, 70);
  assert.equal(refineObjects({ data, width, height }, [measured], { ...options, fit, kept: () => false })[0], measured);
  assert.deepEqual(calls, []);
  assert.notEqual(refineObjects({ data, width, height }, [measured], { ...options, fit, kept: () => true })[0], measured);
  assert.deepEqual(calls, [1]);
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

test('a second star is fitted only where one Gaussian leaves splitSnr σ unexplained, and given up if it makes no headway', () => {
  // A star wider than the PSF: one Gaussian of the PSF's width leaves a ring of misfit.
  const data = skyPixels(width, height, [{ x: 40.3, y: 30.6, sigma: 1.9, peak: 120 }]).map((v) => v + 20);
  const calls: Parameters<typeof fitGaussians>[] = [];
  const fit: typeof fitGaussians = (...args) => {
    calls.push(args);
    return fitGaussians(...args);
  };
  const run = (noise: number): number => {
    calls.length = 0;
    assert.equal(refineObjects({ data, width, height }, [object(40.3, 30.6, 120, { noise })], { ...options, fit }).length, 1);
    return calls.filter((c) => c[2].length === 2).length;
  };
  // Its largest misfit is some 11 grey levels: over 3σ of a noise of 3, under 3σ of a noise of 4
  // (where one Gaussian's χ² is still well above the noise's).
  assert.equal(run(3), 1);
  assert.equal(run(4), 0);
  // The pair's fit must be halfway to the drop in χ² a split needs after three steps.
  run(3);
  const one = fitGaussians(calls[0]![0], sigma, [{ amplitude: 120, x: 40.3, y: 30.6 }])!;
  const needed = Math.max(SPLIT_DEFAULTS.splitChi2 * 9, SPLIT_DEFAULTS.splitShare * one.chi2);
  assert.deepEqual(calls[1]![4], { steps: 3, chi2: one.chi2 - needed / 2 });
});

test('a fainter star in a saturated star\'s wings is found; the saturated star keeps its moments\' centre', () => {
  // 4 px from a star clipped at 255: no peak of its own in the smoothed image, but one Gaussian
  // fitted to the unclipped pixels leaves it unexplained.
  const stars = [{ x: 40, y: 30, amplitude: 600 }, { x: 43.6, y: 31.7, amplitude: 40 }];
  const saturated = object(40.1, 30.05, 235, { saturated: true, fwhm: 5 });
  const out = refineObjects({ data: image(stars), width, height }, [saturated], options);
  assert.equal(out.length, 2, JSON.stringify(out));
  assert.equal(out[0], saturated);
  const c = out[1]!;
  assert.ok(Math.hypot(c.x - 43.6, c.y - 31.7) < 0.1, `companion at ${c.x}, ${c.y}`);
  assert.ok(Math.abs(c.peak - 40) < 2, `companion peak ${c.peak}`);
  assert.deepEqual([c.saturated, c.ellipticity, c.fwhm], [false, 0, 2.3548 * sigma]);
  // Not when it is a neighbour already found, nor when the object may not be two.
  assert.equal(refineObjects({ data: image(stars), width, height }, [saturated, object(43.5, 31.6, 40)], options).length, 2);
  assert.equal(refineObjects({ data: image(stars), width, height }, [saturated], { ...options, splittable: () => false }).length, 1);
});

test('a faint star whose moments a brighter neighbour\'s wing pulled off is fitted again from its brightest pixel', () => {
  // 9 px from a star eight times brighter, whose wing pulled its moments 1.8 px off: one Gaussian
  // fitted around them finds the star, too far from them to be trusted on its own.
  const stars = [{ x: 40.3, y: 30.4, amplitude: 30 }, { x: 49.5, y: 31, amplitude: 250 }];
  const measured = object(42.1, 30.6, 30, { peakPixel: 30 * width + 40 });
  const windows: [number, number][] = [];
  const fit: typeof fitGaussians = (...args) => {
    windows.push([args[0].x0, args[0].y0]);
    return fitGaussians(...args);
  };
  const out = refineObjects({ data: image(stars), width, height }, [measured], { ...options, fit, splittable: () => false });
  assert.equal(out.length, 1);
  assert.ok(Math.hypot(out[0]!.x - 40.3, out[0]!.y - 30.4) < 0.05, `at ${out[0]!.x}, ${out[0]!.y}`);
  // The window around the moments (crowded by the neighbour's wing: refitted on its core), then
  // the one around the brightest pixel, which holds the star alone.
  assert.deepEqual(windows, [[37, 26], [40, 29], [35, 25]]);
  // Where that fit too leaves the brightest pixel by over a pixel (a pixel 1.7 px off the star), the
  // moments' centre stays.
  const lost = object(42.1, 30.6, 30, { peakPixel: 30 * width + 42 });
  assert.equal(refineObjects({ data: image(stars), width, height }, [lost], { ...options, splittable: () => false })[0], lost);
});
