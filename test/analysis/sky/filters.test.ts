import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejection, typicalFwhm } from '../../../src/analysis/sky/filters.js';
import type { StarMeasure } from '../../../src/analysis/sky/measure.js';

const star: StarMeasure = {
  x: 10, y: 10, fwhm: 3, flux: 500, peak: 50, peakPixel: 0, saturated: false, area: 30, ellipticity: 0.1, sharpness: 0.6, snr: 40,
};
const limits = { minSnr: 5, minSharpness: 0.25, maxEllipticity: 0.5, maxFwhm: 9 };

test('a round star of the usual width and enough signal passes', () => {
  assert.equal(rejection(star, limits), undefined);
});

test('each test rejects what it is for', () => {
  assert.equal(rejection({ ...star, snr: 4 }, limits), 'faint');
  assert.equal(rejection({ ...star, sharpness: 0.05 }, limits), 'sharp');
  assert.equal(rejection({ ...star, ellipticity: 0.7 }, limits), 'elongated');
  assert.equal(rejection({ ...star, fwhm: 12 }, limits), 'wide');
});

test('saturated stars are spared the shape and width tests, not the sharpness test', () => {
  assert.equal(rejection({ ...star, saturated: true, ellipticity: 0.7, fwhm: 20 }, limits), undefined);
  assert.equal(rejection({ ...star, saturated: true, sharpness: 0 }, limits), 'sharp');
});

test('typicalFwhm: the median of the good unsaturated stars, none when too few', () => {
  const widths = [2, 3, 3.5, 4, 5];
  const stars = widths.map((fwhm) => ({ ...star, fwhm }));
  const shapes = { minSharpness: 0.25, maxEllipticity: 0.5 };
  assert.equal(typicalFwhm([...stars, { ...star, fwhm: 30, saturated: true }, { ...star, fwhm: 30, sharpness: 0 }], shapes, 0), 3.5);
  assert.equal(typicalFwhm(stars.slice(0, 4), shapes, 0), undefined);
});
