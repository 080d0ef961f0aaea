import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitGroup, fitHeights, residuals } from '../../../src/analysis/sky/group-fit.js';
import { fitGaussians, type FitWindow } from '../../../src/analysis/sky/psf-fit.js';
import { flatSky } from '../../helpers/sky.js';

const width = 40;
const height = 40;
const sigma = 1.5;

/** An 8-bit image: a flat sky of 20 and round Gaussians (σ 1.5 unless given). */
const image = (stars: { x: number; y: number; amplitude: number; sigma?: number }[]): Uint8Array => flatSky(width, height, stars, sigma);

const window = (data: Uint8Array, x0: number, y0: number, side: number): FitWindow => ({ data, width, height, x0, y0, side, saturation: 250 });

test('the heights of stars whose centres are known, and the sky, in one linear solve', () => {
  const stars = [{ x: 20.3, y: 19.6, amplitude: 90 }, { x: 23.4, y: 21.2, amplitude: 40 }];
  const fit = fitHeights(window(image(stars), 14, 13, 13), sigma, stars.map((s) => ({ ...s, amplitude: 1, frozen: true })));
  assert.ok(fit);
  assert.ok(Math.abs(fit.stars[0]!.amplitude - 90) < 0.5 && Math.abs(fit.stars[1]!.amplitude - 40) < 0.5, JSON.stringify(fit.stars));
  assert.ok(Math.abs(fit.sky - 20) < 0.1, `sky ${fit.sky}`);
  assert.equal(fit.pixels, 169);
  assert.ok(Number.isNaN(fit.chi2));
  // Its residual: the pixels less the model, rounding alone, over the window grown by a pixel; χ² over the window itself.
  const out = new Float64Array(64 * 64);
  const chi2 = residuals(window(image(stars), 14, 13, 13), sigma, fit, out);
  assert.ok(chi2 < 0.25 * 169, `χ² ${chi2}`);
  assert.ok(Math.abs(out[0]!) < 0.6 && Math.abs(out[7 * 15 + 7]!) < 0.6);
});

test('clipped pixels are left out of the heights: a saturated star is measured by its wings', () => {
  const stars = [{ x: 20.5, y: 20.5, amplitude: 400 }];
  const data = image(stars);
  let clipped = 0;
  for (let y = 14; y < 27; y++) for (let x = 14; x < 27; x++) if (data[y * width + x]! >= 250) clipped++;
  assert.equal(clipped, 12);
  const fit = fitHeights(window(data, 14, 14, 13), sigma, [{ ...stars[0]!, frozen: true }]);
  assert.ok(fit);
  assert.equal(fit.pixels, 169 - 12);
  assert.ok(Math.abs(fit.stars[0]!.amplitude - 400) < 3, `height ${fit.stars[0]!.amplitude}`);
  const out = new Float64Array(64 * 64);
  residuals(window(data, 14, 14, 13), sigma, fit, out);
  assert.ok(Number.isNaN(out[7 * 15 + 7]), 'a clipped pixel has no residual');
});

test('a star fitted beside a frozen neighbour 3 px away is placed where one Gaussian alone is pulled off', () => {
  const star = { x: 20.3, y: 20.2, amplitude: 60 };
  const neighbour = { x: 23.3, y: 20.2, amplitude: 50 };
  const win = window(image([star, neighbour]), 14, 14, 13);
  const alone = fitGaussians(win, sigma, [{ amplitude: 60, x: 20.5, y: 20 }])!;
  assert.ok(alone.stars[0]!.x - star.x > 0.3, `alone at ${alone.stars[0]!.x}`);
  const group = fitGroup(win, sigma, [{ amplitude: 60, x: 20.5, y: 20, frozen: false }, { ...neighbour, frozen: true }], 0, 5);
  assert.ok(group);
  const [s, n] = group.stars;
  assert.ok(Math.hypot(s!.x - star.x, s!.y - star.y) < 0.03, `group at ${s!.x}, ${s!.y}`);
  assert.ok(Math.abs(s!.amplitude - 60) < 1 && Math.abs(group.sky - 20) < 0.3);
  assert.deepEqual(n, { ...neighbour, frozen: true }, 'the frozen neighbour is left as it was');
  // Two stars fitted together, neither frozen, find both.
  const both = fitGroup(win, sigma, [{ amplitude: 60, x: 20.5, y: 20, frozen: false }, { amplitude: 30, x: 23, y: 21, frozen: false }], 0, 8);
  assert.ok(both && Math.hypot(both.stars[1]!.x - neighbour.x, both.stars[1]!.y - neighbour.y) < 0.03, JSON.stringify(both?.stars));
});

test('a group fit that leaves its window, or one too large, gives up', () => {
  const win = window(image([{ x: 20, y: 20, amplitude: 60 }]), 14, 14, 13);
  assert.equal(fitGroup(win, sigma, [{ amplitude: 60, x: 26.9, y: 20, frozen: false }, { amplitude: 60, x: 20, y: 20, frozen: true }], 0, 8), undefined);
  const many = Array.from({ length: 5 }, (_, i) => ({ amplitude: 10, x: 16 + 2 * i, y: 20, frozen: false }));
  assert.equal(fitGroup(win, sigma, many, 0, 8), undefined);
  assert.equal(fitGroup({ ...win, side: 65 }, sigma, [many[0]!], 0, 8), undefined);
});
