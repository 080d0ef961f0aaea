import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accumulate, equations } from '../../../src/analysis/sky/psf-normal.js';
import type { FitWindow, FittedStar } from '../../../src/analysis/sky/psf-fit.js';
import { mulberry32 } from '../../../src/sources/demo/sky.js';

const width = 30;
const height = 24;

/** The normal equations summed pixel by pixel from the gradient of the model, as first written. */
function reference(win: FitWindow, stars: FittedStar[], sky: number, sigma: number): { normal: number[]; rhs: number[]; chi2: number; pixels: number } {
  const params = 3 * stars.length + 1;
  const normal = new Array<number>(params * params).fill(0);
  const rhs = new Array<number>(params).fill(0);
  let chi2 = 0;
  let pixels = 0;
  for (let y = win.y0; y < win.y0 + win.side; y++) {
    for (let x = win.x0; x < win.x0 + win.side; x++) {
      if (x < 0 || y < 0 || x >= width || y >= height || win.data[y * width + x]! >= win.saturation) continue;
      const gradient: number[] = [];
      let model = sky;
      for (const s of stars) {
        const g = Math.exp(-((x - s.x) ** 2 + (y - s.y) ** 2) / (2 * sigma * sigma));
        model += s.amplitude * g;
        gradient.push(g, (s.amplitude * g * (x - s.x)) / sigma ** 2, (s.amplitude * g * (y - s.y)) / sigma ** 2);
      }
      gradient.push(1);
      const r = win.data[y * width + x]! - model;
      chi2 += r * r;
      pixels++;
      for (let i = 0; i < params; i++) {
        rhs[i]! += gradient[i]! * r;
        for (let j = 0; j < params; j++) normal[i * params + j]! += gradient[i]! * gradient[j]!;
      }
    }
  }
  return { normal, rhs, chi2, pixels };
}

const close = (a: number, b: number, scale: number): boolean => Math.abs(a - b) <= 1e-9 * scale;

test('accumulate: the normal equations of one and of two Gaussians, row by row, are those summed pixel by pixel (clipped and off-image pixels left out)', () => {
  const random = mulberry32(11);
  const data = Uint8Array.from({ length: width * height }, () => (random() < 0.05 ? 255 : 20 + Math.floor(random() * 200)));
  const sigma = 1.6;
  for (const [x0, y0] of [[5, 4], [-4, -3], [width - 9, height - 8]] as const) {
    const win: FitWindow = { data, width, height, x0, y0, side: 13, saturation: 250 };
    for (const stars of [[{ amplitude: 90, x: x0 + 6.3, y: y0 + 5.8 }], [{ amplitude: 90, x: x0 + 5.2, y: y0 + 6.1 }, { amplitude: 40, x: x0 + 7.9, y: y0 + 7.4 }]]) {
      const chi2 = accumulate(win, stars, 30, -1 / (2 * sigma * sigma), sigma);
      const expected = reference(win, stars, 30, sigma);
      const params = expected.rhs.length;
      const scale = Math.max(...expected.normal.map(Math.abs), ...expected.rhs.map(Math.abs), expected.chi2);
      assert.equal(equations.pixels, expected.pixels);
      assert.ok(close(chi2, expected.chi2, scale), `χ² ${chi2} against ${expected.chi2}`);
      for (let i = 0; i < params * params; i++) assert.ok(close(equations.normal[i]!, expected.normal[i]!, scale), `normal[${i}] at ${x0}, ${y0}, ${stars.length} stars`);
      for (let i = 0; i < params; i++) assert.ok(close(equations.rhs[i]!, expected.rhs[i]!, scale), `rhs[${i}] at ${x0}, ${y0}, ${stars.length} stars`);
    }
  }
});
