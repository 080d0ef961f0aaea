import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  cellWidth,
  LINE_BAR,
  barParts,
  estimateEta,
  fit,
  formatBytes,
  formatClock,
  formatCount,
  formatCounted,
  formatDuration,
  formatPercent,
  formatPerSecond,
  formatRate,
  progressBar,
} from '../../src/ui/format.js';

describe('formatting', () => {
  test('durations read as ms, seconds, minutes or hours', () => {
    assert.equal(formatDuration(340.4), '340 ms');
    assert.equal(formatDuration(1530), '1.5 s');
    assert.equal(formatDuration(42_000), '42 s');
    assert.equal(formatDuration(185_000), '3m 05s');
    assert.equal(formatDuration(3_725_000), '1h 02m');
    assert.equal(formatDuration(-1), '—');
  });

  test('clocks pad minutes and seconds and add hours when needed', () => {
    assert.equal(formatClock(42_999), '00:42');
    assert.equal(formatClock(723_000), '12:03');
    assert.equal(formatClock(3_723_000), '1:02:03');
    assert.equal(formatClock(undefined), '--:--');
  });

  test('bytes use binary units with at most three significant figures', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.5 KiB');
    assert.equal(formatBytes(34.5 * 1024 * 1024), '34.5 MiB');
    assert.equal(formatBytes(120 * 1024 * 1024), '120 MiB');
    assert.equal(formatBytes(1023.9 * 1024), '1.0 MiB');
    assert.equal(formatRate(820 * 1024), '820 KiB/s');
  });

  test('counts get thousands separators whatever the locale', () => {
    assert.equal(formatCount(10_000), '10,000');
    assert.equal(formatCount(999), '999');
    assert.equal(formatCount(1_234_567), '1,234,567');
    assert.deepEqual([0, 1, 2, 1204].map((n) => formatCounted(n, 'star')), ['0 stars', '1 star', '2 stars', '1,204 stars']);
    assert.equal(formatPerSecond(0.345), '0.34');
    assert.equal(formatPerSecond(4.25), '4.3');
    assert.equal(formatPercent(0.624), '62%');
    assert.equal(formatPercent(3), '100%');
  });

  test('fit pads or cuts with an ellipsis to exactly the width', () => {
    assert.equal(fit('abc', 5), 'abc  ');
    assert.equal(fit('abc', 5, 'right'), '  abc');
    assert.equal(fit('abcdef', 4), 'abc…');
    assert.equal(fit('abc', 0), '');
    // Wide characters take two cells: the result is exactly `width` cells all the same.
    assert.equal(fit('銀河の星', 5), '銀河…');
    assert.equal(fit('銀河の星', 6), '銀河… ');
    assert.equal(fit('銀河', 6, 'right'), '  銀河');
    assert.equal(fit('Ω Centauri ✦', 12), 'Ω Centauri ✦');
  });
});

describe('progress bars', () => {
  test('are exactly the width, with eighth-cell precision', () => {
    assert.equal(progressBar(0, 8), '░░░░░░░░');
    assert.equal(progressBar(1, 8), '████████');
    assert.equal(progressBar(0.5, 8), '████░░░░');
    assert.equal(progressBar(1 / 16, 2), '▏░');
    for (let f = 0; f <= 1; f += 0.037) assert.equal([...progressBar(f, 13)].length, 13);
  });

  test('the line style has half steps and clamps out-of-range fractions', () => {
    assert.deepEqual(barParts(0.25, 6, LINE_BAR), { fill: '━╸', rest: '────' });
    assert.equal(progressBar(-1, 4, LINE_BAR), '────');
    assert.equal(progressBar(Number.NaN, 4, LINE_BAR), '────');
    assert.equal(progressBar(2, 4, LINE_BAR), '━━━━');
  });
});

describe('estimateEta', () => {
  test('extrapolates the pace so far', () => {
    assert.equal(estimateEta(10_000, 5, 20), 30_000);
    assert.equal(estimateEta(10_000, 20, 20), 0);
  });

  test('is unknown before anything settled', () => {
    assert.equal(estimateEta(10_000, 0, 20), undefined);
    assert.equal(estimateEta(0, 0, 0), undefined);
  });
});

test('cellWidth: terminal cells, the same on a second call, wide and combining characters included', () => {
  const texts = ['abc', '█▊░', '星空', 'e\u0301', '👍🏽', ''];
  const first = texts.map(cellWidth);
  assert.deepEqual(first, [3, 3, 4, 1, 2, 0]);
  assert.deepEqual(texts.map(cellWidth), first);
});
