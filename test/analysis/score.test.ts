import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addScores, scoreDetections, scoreFigures, truthCounts } from '../../src/analysis/score.js';

const truth = [
  { x: 10, y: 10 },
  { x: 50, y: 50 },
  { x: 90, y: 90, faint: true },
  { x: 130, y: 130 },
];

test('found, spurious, missed; a faint star counts neither way', () => {
  const found = [{ x: 10.25, y: 10 }, { x: 90.5, y: 90 }, { x: 200, y: 200 }, { x: 50, y: 53.5 }];
  const score = scoreDetections(found, truth);
  assert.deepEqual(score, { found: 1, spurious: 2, missed: 2, faintFound: 1, sumSquaredError: 0.0625 });
  const f = scoreFigures(score);
  assert.equal(f.precision, 1 / 3);
  assert.equal(f.recall, 1 / 3);
  assert.ok(Math.abs(f.f1 - 1 / 3) < 1e-12);
  assert.equal(f.rms, 0.25);
});

test('a missed faint star costs nothing; nothing found scores 0, not NaN', () => {
  const all = scoreDetections([{ x: 10, y: 10 }, { x: 50, y: 50 }, { x: 130, y: 130 }], truth);
  assert.deepEqual(scoreFigures(all), { precision: 1, recall: 1, f1: 1, rms: 0 });
  assert.deepEqual(scoreFigures(scoreDetections([], [])), { precision: 0, recall: 0, f1: 0, rms: 0 });
});

test('addScores sums over skies', () => {
  const a = scoreDetections([{ x: 10, y: 11 }], truth);
  const b = scoreDetections([{ x: 300, y: 300 }], truth);
  assert.deepEqual(addScores([a, b]), { found: 1, spurious: 1, missed: 5, faintFound: 0, sumSquaredError: 1 });
});

test('truthCounts: the stars that are not faint, how many were found, and what the other detections matched', () => {
  const found = [{ x: 10.25, y: 10 }, { x: 90.5, y: 90 }, { x: 200, y: 200 }];
  assert.deepEqual(truthCounts(found, truth), { stars: 3, found: 1, faintFound: 1, spurious: 1 });
});
