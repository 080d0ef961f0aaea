import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitGaussians, type FitWindow } from '../../../src/analysis/sky/psf-fit.js';
import { skyPixels } from '../../helpers/sky.js';

const width = 40;
const height = 40;

/** An 8-bit image: a flat sky of 20 and round Gaussians of σ 1.5. */
function image(stars: { x: number; y: number; amplitude: number }[]): Uint8Array {
  const light = skyPixels(width, height, stars.map((s) => ({ x: s.x, y: s.y, sigma: 1.5, peak: s.amplitude })));
  return light.map((v) => Math.min(255, v + 20));
}

const window = (data: Uint8Array, x0: number, y0: number, side: number): FitWindow => ({ data, width, height, x0, y0, side, saturation: 250 });

test('one Gaussian: the fit finds its centre, height and the sky from a start a pixel off', () => {
  const fit = fitGaussians(window(image([{ x: 20.3, y: 19.6, amplitude: 100 }]), 14, 13, 13), 1.5, [{ amplitude: 50, x: 21, y: 19 }]);
  assert.ok(fit);
  const [s] = fit.stars;
  assert.ok(Math.abs(s!.x - 20.3) < 0.01 && Math.abs(s!.y - 19.6) < 0.01, `${s!.x}, ${s!.y}`);
  assert.ok(Math.abs(s!.amplitude - 100) < 1, `amplitude ${s!.amplitude}`);
  assert.ok(Math.abs(fit.sky - 20) < 0.3, `sky ${fit.sky}`);
  assert.equal(fit.pixels, 169);
  assert.ok(fit.chi2 < 0.25 * 169, `chi2 ${fit.chi2} is more than rounding`);
});

test('two Gaussians 3 px apart: two fitted at their centres, and χ² far below one Gaussian\'s', () => {
  const stars = [{ x: 19.2, y: 20.1, amplitude: 80 }, { x: 21.8, y: 21.6, amplitude: 50 }];
  const win = window(image(stars), 13, 14, 15);
  const one = fitGaussians(win, 1.5, [{ amplitude: 100, x: 20, y: 20.6 }]);
  const two = fitGaussians(win, 1.5, [{ amplitude: 60, x: 19.5, y: 20 }, { amplitude: 40, x: 22, y: 21 }], one?.sky);
  assert.ok(one && two);
  for (const [i, s] of stars.entries()) {
    const f = two.stars[i]!;
    assert.ok(Math.hypot(f.x - s.x, f.y - s.y) < 0.05, `star ${i} fitted at ${f.x}, ${f.y}`);
    assert.ok(Math.abs(f.amplitude - s.amplitude) < 1.5, `star ${i} amplitude ${f.amplitude}`);
  }
  assert.ok(two.chi2 < 0.25 * two.pixels && one.chi2 > 100 * two.chi2, `χ² ${one.chi2} → ${two.chi2}`);
});

test('saturated pixels are left out; a window larger than the scratch, or an empty one, gives no fit', () => {
  const data = image([{ x: 20, y: 20, amplitude: 400 }]);
  const fit = fitGaussians(window(data, 14, 14, 13), 1.5, [{ amplitude: 300, x: 20.4, y: 19.7 }]);
  assert.ok(fit);
  assert.equal(fit.pixels, 169 - data.filter((v) => v >= 250).length);
  assert.ok(Math.hypot(fit.stars[0]!.x - 20, fit.stars[0]!.y - 20) < 0.02, JSON.stringify(fit.stars));
  assert.equal(fitGaussians(window(data, 0, 0, 65), 1.5, [{ amplitude: 1, x: 20, y: 20 }]), undefined);
  assert.equal(fitGaussians(window(new Uint8Array(width * height), 14, 14, 13), 1.5, [{ amplitude: 1, x: 20, y: 20 }, { amplitude: 1, x: 20, y: 20 }]), undefined);
});

test('a window over the image\'s corner fits the pixels on the image only', () => {
  const corners = image([{ x: 3.2, y: 2.7, amplitude: 120 }, { x: width - 3.6, y: height - 2.9, amplitude: 120 }]);
  for (const [x0, y0, x, y] of [[-3, -4, 3.2, 2.7], [width - 10, height - 9, width - 3.6, height - 2.9]] as const) {
    const fit = fitGaussians(window(corners, x0, y0, 13), 1.5, [{ amplitude: 80, x: x + 0.6, y: y - 0.5 }]);
    assert.ok(fit);
    assert.equal(fit.pixels, 10 * 9);
    assert.ok(Math.hypot(fit.stars[0]!.x - x, fit.stars[0]!.y - y) < 0.01, JSON.stringify(fit.stars));
  }
});

test('two Gaussians over the image\'s corner, one with a clipped top: the pixels on the image and under the clip, both centres', () => {
  const stars = [{ x: 2.8, y: 3.1, amplitude: 400 }, { x: 5.4, y: 4.9, amplitude: 60 }];
  const data = image(stars);
  const on = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < width && y < height;
  let pixels = 0;
  for (let y = -4; y < 11; y++) for (let x = -3; x < 12; x++) if (on(x, y) && data[y * width + x]! < 250) pixels++;
  const fit = fitGaussians(window(data, -3, -4, 15), 1.5, [{ amplitude: 300, x: 3.1, y: 2.8 }, { amplitude: 40, x: 5.9, y: 5.3 }]);
  assert.ok(fit);
  assert.equal(fit.pixels, pixels);
  for (const [i, s] of stars.entries()) {
    assert.ok(Math.hypot(fit.stars[i]!.x - s.x, fit.stars[i]!.y - s.y) < 0.05, JSON.stringify(fit.stars));
  }
});

test('progress: a fit whose χ² is not below the mark after the given steps is given up; one that is, is the same fit', () => {
  const pair = window(image([{ x: 19.2, y: 20.1, amplitude: 80 }, { x: 21.8, y: 21.6, amplitude: 50 }]), 13, 14, 15);
  const start = [{ amplitude: 60, x: 19.5, y: 20 }, { amplitude: 40, x: 22, y: 21 }];
  const one = fitGaussians(pair, 1.5, [{ amplitude: 100, x: 20, y: 20.6 }]);
  assert.ok(one);
  const free = fitGaussians(pair, 1.5, start, one.sky);
  assert.deepEqual(fitGaussians(pair, 1.5, start, one.sky, { steps: 3, chi2: one.chi2 / 2 }), free);
  // A single star: a second Gaussian explains nothing, χ² stays near one Gaussian's.
  const single = window(image([{ x: 20.3, y: 19.6, amplitude: 100 }]), 13, 13, 15);
  const alone = fitGaussians(single, 1.5, [{ amplitude: 100, x: 20.3, y: 19.6 }]);
  assert.ok(alone);
  const second = [{ amplitude: 90, x: 20.3, y: 19.6 }, { amplitude: 5, x: 23, y: 21 }];
  assert.ok(fitGaussians(single, 1.5, second, alone.sky), 'without a mark the fit runs to the end');
  assert.equal(fitGaussians(single, 1.5, second, alone.sky, { steps: 3, chi2: alone.chi2 / 2 }), undefined);
});
