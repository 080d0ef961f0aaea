import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDetector } from '../../../src/analysis/detectors.js';
import { DEFAULT_SKY_PARAMS, resolveSkyParams } from '../../../src/analysis/sky/params.js';

test('the defaults, with overrides applied', () => {
  assert.deepEqual(resolveSkyParams(), DEFAULT_SKY_PARAMS);
  assert.deepEqual(resolveSkyParams({ threshold: 4, minArea: 3 }), { ...DEFAULT_SKY_PARAMS, threshold: 4, minArea: 3 });
});

test('unknown names, wrong types and values out of range are refused with E_DETECTOR_PARAMS and what to do', () => {
  const refuses = (overrides: Record<string, unknown>, message: RegExp) =>
    assert.throws(() => resolveSkyParams(overrides as never), (error: Error & { code?: string }) => error.code === 'E_DETECTOR_PARAMS' && message.test(error.message));
  refuses({ minConvexity: 0.5 }, /^Unknown parameter minConvexity for the sky detector; it has: threshold, minArea, /);
  refuses({ threshold: true }, /^Detector parameter threshold must be a number, but received true\.$/);
  refuses({ threshold: 0 }, /^Detector parameter threshold must be a number from 0\.5 to 1000, but received 0\.$/);
  refuses({ minArea: 2.5 }, /^Detector parameter minArea must be a whole number from 1 to 1000000, but received 2\.5\.$/);
  refuses({ meshSize: 4 }, /meshSize must be a whole number from 8 to 4096/);
});

test('createDetector: sky with its resolved parameters, and its errors', () => {
  const detector = createDetector({ name: 'sky', params: { threshold: 6 } });
  assert.equal(detector.name, 'sky');
  assert.deepEqual(detector.params, { ...DEFAULT_SKY_PARAMS, threshold: 6 });
  assert.throws(() => createDetector({ name: 'sky', params: { minArea: 0 } }), { code: 'E_DETECTOR_PARAMS' });
});
