import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejection, sharpnessLimit, tooSharp, typicalWidths, type FilterInput } from '../../../src/analysis/sky/filters.js';

const star: FilterInput = {
  x: 10, y: 10, fwhm: 3, coreWidth: 3, flux: 500, peak: 50, peakPixel: 0, saturated: false, area: 30, ellipticity: 0.1, sharpness: 0.6, snr: 40, noise: 2,
};
const limits = { minSnr: 5, minPeak: 5, typicalNoise: 2, minSharpness: 0.25, minFwhm: 1.5, maxEllipticity: 0.5, maxFwhm: 9, maxCoreWidth: 8 };

test('a round star of the usual width and enough signal passes', () => {
  assert.equal(rejection(star, limits), undefined);
});

test('each test rejects what it is for', () => {
  assert.equal(rejection({ ...star, snr: 4 }, limits), 'faint');
  assert.equal(rejection({ ...star, sharpness: 0.05 }, limits), 'sharp');
  assert.equal(rejection({ ...star, fwhm: 1.49 }, limits), 'sharp');
  assert.equal(rejection({ ...star, fwhm: 1.5 }, limits), undefined);
  assert.equal(rejection({ ...star, ellipticity: 0.7 }, limits), 'elongated');
  assert.equal(rejection({ ...star, ellipticity: 0.7, fwhm: 1.49 }, { ...limits, minFwhm: 0 }), undefined);
  assert.equal(rejection({ ...star, fwhm: 12, coreWidth: 12 }, limits), 'wide');
});

test('an object none of whose pixels stands minPeak σ of the noise above the sky is too faint, however significant its sum', () => {
  // A broad swell 9.9 grey levels high in noise of σ 2: its window's sum is 40σ, its peak 4.95σ.
  assert.equal(rejection({ ...star, peak: 9.9 }, limits), 'faint');
  assert.equal(rejection({ ...star, peak: 10 }, limits), undefined);
  // The noise where it is counts, but no more than the image's typical noise: in a cluster's
  // crowded core the mesh's σ is crowding as much as noise.
  assert.equal(rejection({ ...star, peak: 10, noise: 3 }, limits), undefined);
  assert.equal(rejection({ ...star, peak: 10, noise: 3 }, { ...limits, typicalNoise: 3 }), 'faint');
  assert.equal(rejection({ ...star, peak: 9.9, noise: 1.9 }, limits), undefined);
  // A saturated star's peak is clipped: it is never too faint for it.
  assert.equal(rejection({ ...star, peak: 9.9, saturated: true }, limits), undefined);
  assert.equal(rejection({ ...star, peak: 9.9 }, { ...limits, minPeak: 0 }), undefined);
});

test('a bright star whose wings widen its moments but not its core is not too wide, nor one with a wide flat core', () => {
  assert.equal(rejection({ ...star, fwhm: 12, coreWidth: 8 }, limits), undefined);
  // …when the core stands clear of the noise (peak 20σ): a faint one's core is a few noise spikes.
  assert.equal(rejection({ ...star, fwhm: 12, coreWidth: 8, peak: 39.9 }, limits), 'wide');
  assert.equal(rejection({ ...star, fwhm: 12, coreWidth: 8.01 }, limits), 'wide');
  assert.equal(rejection({ ...star, fwhm: 9, coreWidth: 12 }, limits), undefined);
});

test('too sharp only when the four neighbours fall 3σ of their mean short of the least sharp star', () => {
  // Neighbours' mean noise: 2 / √4 = 1; 3 of it over a peak of 50 is 0.06.
  assert.equal(tooSharp({ sharpness: 0.25 - 0.06 + 0.001, peak: 50, noise: 2 }, 0.25), false);
  assert.equal(tooSharp({ sharpness: 0.25 - 0.06 - 0.001, peak: 50, noise: 2 }, 0.25), true);
  // A faint star's neighbours are too noisy to tell: even none at all is no proof.
  assert.equal(tooSharp({ sharpness: 0, peak: 10, noise: 2 }, 0.25), false);
  // A bright hot pixel is.
  assert.equal(tooSharp({ sharpness: 0, peak: 200, noise: 2 }, 0.25), true);
  assert.equal(tooSharp({ sharpness: 0.5, peak: 0, noise: 2 }, 0.25), true);
});

test('sharpnessLimit: the parameter, or half the bright objects\' median when their stars are smaller', () => {
  const of = (values: number[]): { sharpness: number }[] => values.map((sharpness) => ({ sharpness }));
  assert.equal(sharpnessLimit(of([0.6, 0.7, 0.8, 0.9, 0.05]), 0.25), 0.25);
  assert.equal(sharpnessLimit(of([0.2, 0.3, 0.1, 0, 0.25]), 0.25), 0.1);
  assert.equal(sharpnessLimit(of([0.2, 0.3, 0.1, 0]), 0.25), 0.25);
});

test('typicalWidths: the medians of the good unsaturated stars, none when too few', () => {
  const stars = [2, 3, 3.5, 4, 5].map((fwhm) => ({ ...star, fwhm, coreWidth: fwhm + 1 }));
  const shapes = { minSharpness: 0.25, maxEllipticity: 0.5 };
  const odd = [{ ...star, fwhm: 30, saturated: true }, { ...star, fwhm: 30, sharpness: 0, peak: 200 }, { ...star, fwhm: 30, ellipticity: 0.6 }];
  assert.deepEqual(typicalWidths([...stars, ...odd], shapes), { fwhm: 3.5, coreWidth: 4.5 });
  assert.equal(typicalWidths(stars.slice(0, 4), shapes), undefined);
});

test('saturated stars are spared the shape and width tests, not the sharpness test', () => {
  assert.equal(rejection({ ...star, saturated: true, ellipticity: 0.7, fwhm: 20, coreWidth: 20 }, limits), undefined);
  assert.equal(rejection({ ...star, saturated: true, sharpness: 0, peak: 200 }, limits), 'sharp');
});
