import assert from 'node:assert/strict';
import { test } from 'node:test';
import { companionBump, placeAmongCompanions } from '../../../src/analysis/sky/companions.js';
import type { SkyObject } from '../../../src/analysis/sky/detect.js';
import { fitHeights } from '../../../src/analysis/sky/group-fit.js';
import { fitGaussians, type FitWindow } from '../../../src/analysis/sky/psf-fit.js';
import { flatSky } from '../../helpers/sky.js';

const width = 60;
const height = 50;
const sigma = 1.5;

/** An 8-bit image: a flat sky of 20 and round Gaussians (σ 1.5 unless given). */
const image = (stars: { x: number; y: number; amplitude: number; sigma?: number }[]): Uint8Array => flatSky(width, height, stars, sigma);

/** A star as refine.ts leaves it: at (x, y), of the typical width, noise 2. */
const object = (x: number, y: number, peak: number, extra: Partial<SkyObject> = {}): SkyObject => ({
  x, y, peak, fwhm: 2.3548 * sigma, coreWidth: 3, flux: 1000, peakPixel: 0, saturated: false, area: 20,
  ellipticity: 0.1, sharpness: 0.6, snr: 30, noise: 2, ...extra,
});

const star = { x: 25.3, y: 20.2, amplitude: 60 };
// Too faint, and too close, to be found: 20 grey levels (10σ of this noise… but a third of the star), 3.4 px out.
const companion = { x: 28.5, y: 21.4, amplitude: 20 };
const options = { sigma, saturation: 250 };

test('the bump a companion leaves beside a star, and none where the misfit is the star\'s own (symmetric)', () => {
  const win: FitWindow = { data: image([star, companion]), width, height, x0: 20, y0: 15, side: 11, saturation: 250 };
  const fit = fitHeights(win, sigma, [{ ...star, frozen: false }])!;
  // At its brightest residual pixel (the companion is at 28.5, the star's wing falls towards 29).
  const bump = companionBump(win, sigma, fit, 2);
  assert.deepEqual({ x: bump?.x, y: bump?.y }, { x: 29, y: 21 });
  assert.ok(bump!.amplitude > 15 && bump!.amplitude < 20, `height ${bump!.amplitude}`);
  // A lone star wider than the typical one leaves a ring of light around the fitted Gaussian,
  // as much on one side as the other: no companion.
  const wide: FitWindow = { ...win, data: image([{ ...star, sigma: 1.9 }]) };
  const wideFit = fitHeights(wide, sigma, [{ ...star, frozen: false }])!;
  assert.equal(companionBump(wide, sigma, wideFit, 2), undefined);
});

test('a star with an unfound companion is placed by the fit that includes it; its neighbours found are fitted with it', () => {
  const data = image([star, companion, { x: 20.6, y: 23.9, amplitude: 45 }]);
  const win: FitWindow = { data, width, height, x0: 20, y0: 15, side: 11, saturation: 250 };
  // One Gaussian of the window is pulled 0.3 px towards the companion.
  const one = fitGaussians(win, sigma, [{ amplitude: 60, x: 25, y: 20 }])!.stars[0]!;
  assert.ok(Math.hypot(one.x - star.x, one.y - star.y) > 0.2, `one Gaussian at ${one.x}, ${one.y}`);
  const objects = [object(one.x, one.y, 60), object(20.6, 23.9, 45), object(45, 40, 30)];
  const out = placeAmongCompanions({ data, width, height }, objects, options);
  assert.equal(out.length, 3);
  assert.ok(Math.hypot(out[0]!.x - star.x, out[0]!.y - star.y) < 0.05, `placed at ${out[0]!.x}, ${out[0]!.y}`);
  assert.deepEqual({ ...out[0]!, x: 0, y: 0 }, { ...objects[0]!, x: 0, y: 0 }, 'only the centre changes');
  assert.equal(out[2], objects[2], 'a star alone stays as it is');
});

test('saturated, very bright, wide objects and those not kept stay where they are', () => {
  const data = image([star, companion]);
  const one = fitGaussians({ data, width, height, x0: 20, y0: 15, side: 11, saturation: 250 }, sigma, [{ amplitude: 60, x: 25, y: 20 }])!.stars[0]!;
  for (const extra of [{ saturated: true }, { noise: 0.5 }, { fwhm: 1.7 * 2.3548 * sigma }] as Partial<SkyObject>[]) {
    const s = object(one.x, one.y, 60, extra);
    assert.equal(placeAmongCompanions({ data, width, height }, [s], options)[0], s, JSON.stringify(extra));
  }
  const s = object(one.x, one.y, 60);
  assert.equal(placeAmongCompanions({ data, width, height }, [s], { ...options, kept: () => false })[0], s);
  assert.notEqual(placeAmongCompanions({ data, width, height }, [s], options)[0], s);
});

test('a star at the light\'s centre of an unresolved pair is placed on the pair\'s brighter half', () => {
  // Two stars of about one height 3.8 px (2.5σ) apart, one peak: refine.ts leaves one star at their
  // light's centre, where what one Gaussian leaves is symmetric (no companion's bump), not round.
  const bright = { x: 27.219, y: 21.309, amplitude: 60 };
  const faint = { x: 23.781, y: 19.691, amplitude: 59 };
  const data = image([bright, faint]);
  const centre = fitGaussians({ data, width, height, x0: 20, y0: 15, side: 11, saturation: 250 }, sigma, [{ amplitude: 60, x: 25, y: 20 }])!.stars[0]!;
  // Further than a star placed again may move, unless it was a pair's light centre.
  assert.ok(Math.hypot(centre.x - bright.x, centre.y - bright.y) > 1.8, `one Gaussian at ${centre.x}, ${centre.y}`);
  const out = placeAmongCompanions({ data, width, height }, [object(centre.x, centre.y, 60)], options);
  assert.ok(Math.hypot(out[0]!.x - bright.x, out[0]!.y - bright.y) < 0.05, `placed at ${out[0]!.x}, ${out[0]!.y}`);
});

test('a star\'s noise is taken at most at the image\'s typical noise: a crowded cell\'s σ hides no companion', () => {
  const data = image([star, companion]);
  const one = fitGaussians({ data, width, height, x0: 20, y0: 15, side: 11, saturation: 250 }, sigma, [{ amplitude: 60, x: 25, y: 20 }])!.stars[0]!;
  // Measured in a cell whose σ is the crowding's: 12, where the companion is 1.7σ.
  const s = object(one.x, one.y, 60, { noise: 12 });
  assert.equal(placeAmongCompanions({ data, width, height }, [s], options)[0], s);
  const out = placeAmongCompanions({ data, width, height }, [s], { ...options, typicalNoise: 2 });
  assert.ok(Math.hypot(out[0]!.x - star.x, out[0]!.y - star.y) < 0.05, `placed at ${out[0]!.x}, ${out[0]!.y}`);
});

test('a star with a found neighbour close by is fitted together with it', () => {
  // 3.5 px (2.3σ) apart: each was placed with the other's light in its window, pulled towards it.
  const neighbour = { x: 28.7, y: 21.1, amplitude: 45 };
  const data = image([star, neighbour]);
  const objects = [object(star.x + 0.25, star.y + 0.08, 60), object(neighbour.x - 0.3, neighbour.y - 0.1, 45)];
  const out = placeAmongCompanions({ data, width, height }, objects, options);
  assert.ok(Math.hypot(out[0]!.x - star.x, out[0]!.y - star.y) < 0.05, `placed at ${out[0]!.x}, ${out[0]!.y}`);
  assert.ok(Math.hypot(out[1]!.x - neighbour.x, out[1]!.y - neighbour.y) < 0.05, `neighbour placed at ${out[1]!.x}, ${out[1]!.y}`);
});
