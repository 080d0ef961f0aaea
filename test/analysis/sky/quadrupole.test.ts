import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitHeights, residuals } from '../../../src/analysis/sky/group-fit.js';
import type { FitWindow } from '../../../src/analysis/sky/psf-fit.js';
import { MAX_SIDE } from '../../../src/analysis/sky/psf-normal.js';
import { MIN_QUADRUPOLE, pairAxis } from '../../../src/analysis/sky/quadrupole.js';
import { flatSky } from '../../helpers/sky.js';

const width = 50;
const height = 50;
const sigma = 1.5;
const centre = { x: 25.2, y: 24.7 };

/** What one Gaussian of the typical σ at (x, y), its height and the sky fitted, leaves of `stars`' light. */
function residualOf(stars: { x: number; y: number; amplitude: number; sigma?: number }[], x = centre.x, y = centre.y): { map: Float64Array; win: FitWindow } {
  const win: FitWindow = { data: flatSky(width, height, stars, sigma), width, height, x0: 18, y0: 18, side: 15, saturation: 250 };
  const fit = fitHeights(win, sigma, [{ amplitude: 50, x, y, frozen: false }])!;
  const map = new Float64Array(MAX_SIDE * MAX_SIDE);
  residuals(win, sigma, fit, map);
  return { map, win };
}

/** Two stars of a height, `separation` px apart along `angle` (radians), about the centre. */
const pair = (separation: number, angle: number, amplitude = 40): { x: number; y: number; amplitude: number }[] =>
  [1, -1].map((side) => ({ x: centre.x + (side * separation * Math.cos(angle)) / 2, y: centre.y + (side * separation * Math.sin(angle)) / 2, amplitude }));

const degrees = (radians: number): number => (radians * 180) / Math.PI;

test('a pair 1–2σ apart, fitted as one star at its centre, leaves a quadrupole along its axis', () => {
  for (const angle of [0, 30, 75, 120, -45]) {
    for (const separation of [2, 2.5, 3]) {
      const { map, win } = residualOf(pair(separation, (angle * Math.PI) / 180));
      const found = pairAxis(map, win, centre.x, centre.y, sigma, 2);
      assert.ok(found !== undefined, `${separation} px at ${angle}°`);
      // An axis: 180° apart is the same one.
      const off = ((degrees(found) - angle) % 180 + 270) % 180 - 90;
      assert.ok(Math.abs(off) < 3, `${separation} px at ${angle}°: ${degrees(found)}°`);
    }
  }
});

test('a lone star leaves none: of the typical width, wider or narrower (a ring), or fitted off its centre (a dipole)', () => {
  for (const s of [sigma, 1.9, 1.2]) {
    const { map, win } = residualOf([{ ...centre, amplitude: 80, sigma: s }]);
    assert.equal(pairAxis(map, win, centre.x, centre.y, sigma, 2), undefined, `σ ${s}`);
  }
  const { map, win } = residualOf([{ ...centre, amplitude: 80 }], centre.x + 0.4, centre.y - 0.3);
  assert.equal(pairAxis(map, win, centre.x + 0.4, centre.y - 0.3, sigma, 2), undefined);
});

test(`a pair found only when its quadrupole stands ${MIN_QUADRUPOLE}σ of the noise out`, () => {
  const { map, win } = residualOf(pair(2.5, 0.5, 12));
  assert.notEqual(pairAxis(map, win, centre.x, centre.y, sigma, 0.5), undefined);
  assert.equal(pairAxis(map, win, centre.x, centre.y, sigma, 5), undefined);
});
