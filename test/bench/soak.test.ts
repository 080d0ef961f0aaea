import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { JOURNAL_FILE } from '../../src/report/journal.js';
import { tempDir } from '../helpers/fixtures.js';
import { blockSlope, fit, FLAT_MIB_PER_1000, flatVerdict, pooledSlope, secondHalf, soak, windowMeans } from './soak.js';

/** The short soak: `npm run bench:soak` at 64 images, the fault set repeating every 16. */
test('soak (64 demo images, faults every 16): every image is in the report and the journal, ending as its fault says', async (t) => {
  const out = await tempDir(t);
  const result = await soak({ count: 64, out, workers: 2, faultPeriod: 16, intervalMs: 500, timeoutMs: 1000 });
  assert.deepEqual(result.problems, []);
  assert.equal(result.exitCode, 1, 'the 404s and HTML pages fail');
  const { tasks, done, failed, skipped } = result.report.totals;
  // Failed: images 10 and 11 of each 16 (404, HTML); skipped: the video (5).
  assert.deepEqual({ tasks, done, failed, skipped }, { tasks: 64, done: 55, failed: 8, skipped: 1 });
  const journal = (await readFile(join(out, JOURNAL_FILE), 'utf8')).trim().split('\n');
  assert.equal(journal.length, 1 + 55, 'the header and every done image');
  if (process.platform === 'linux') {
    // The demo server's process is measured too: it held tens of MiB and spent CPU time drawing skies.
    const server = result.samples.filter((s) => s.serverRss > 0);
    assert.ok(server.length > 0 && server.every((s) => s.serverRss > 20 && s.serverRss < 2048), JSON.stringify(result.samples.map((s) => s.serverRss)));
    assert.ok(Math.max(...server.map((s) => s.serverCpu)) > 0.1);
  }
});

test('fit: the least-squares slope and its standard error', () => {
  assert.deepEqual(fit([0, 1, 2].map((x) => ({ x, y: 2 * x + 1 }))), { slope: 2, error: 0 });
  const { slope, error } = fit([{ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 2, y: 0 }, { x: 3, y: 1 }]);
  assert.equal(slope.toFixed(12), '0.200000000000');
  assert.equal(error.toFixed(12), Math.sqrt(0.08).toFixed(12));
  assert.deepEqual(fit([{ x: 1, y: 5 }]), { slope: 0, error: 0 });
});

test('secondHalf: from half the images ended to just before the last, not the sample after the run', () => {
  const samples = [0, 400, 999, 1000, 1500, 1999, 2000].map((ended) => ({ ended }));
  assert.deepEqual(secondHalf(samples, 2000).map((s) => s.ended), [1000, 1500, 1999]);
});

test('blockSlope: fitted to 100-image means, so samples that move together do not shrink the error', () => {
  // A flat run whose level sits 30 MiB up or down for a block at a time (a large array held), sampled every 5 images.
  const samples = Array.from({ length: 200 }, (_, i) => ({ ended: 1000 + i * 5, rss: 400 + (Math.floor(i / 20) % 2 === 0 ? 30 : -30) + (i % 3) }));
  const raw = fit(samples.map((s) => ({ x: s.ended / 1000, y: s.rss })));
  const blocks = blockSlope(samples, (s) => s.rss);
  assert.ok(Math.abs(raw.slope - blocks.slope) < 1, `about the same slope either way: ${raw.slope.toFixed(1)}, ${blocks.slope.toFixed(1)}`);
  assert.ok(blocks.error > 2 * raw.error, `the block error ${blocks.error.toFixed(2)} is the honest one, not ${raw.error.toFixed(2)}`);
  const climbing = samples.map((s) => ({ ...s, rss: s.rss + 0.05 * (s.ended - 1000) }));
  assert.equal(Math.round(blockSlope(climbing, (s) => s.rss).slope - blocks.slope), 50, '+50 MiB per 1,000 images is seen as such');
});

test('windowMeans: the mean of each window of images ended, from 0, empty windows left out', () => {
  const points = [{ x: 0, y: 10 }, { x: 499, y: 20 }, { x: 500, y: 40 }, { x: 1600, y: 7 }];
  assert.deepEqual(windowMeans(points, 500), [
    { from: 0, mean: 15, n: 2 },
    { from: 500, mean: 40, n: 1 },
    { from: 1500, mean: 7, n: 1 },
  ]);
});

test('pooledSlope: the mean of independent runs\' slopes, its error the root of their squares over the count', () => {
  assert.deepEqual(pooledSlope([]), { slope: 0, error: 0 });
  assert.deepEqual(pooledSlope([{ slope: 6, error: 8 }]), { slope: 6, error: 8 });
  const runs = [{ slope: 9, error: 6 }, { slope: 2, error: 12 }, { slope: 13, error: 12 }];
  assert.ok(runs.every((run) => flatVerdict(run).startsWith('cannot tell')));
  const three = pooledSlope(runs);
  assert.deepEqual(three, { slope: 8, error: 6 });
  assert.equal(flatVerdict(three), 'PASS', 'three runs tell what none could alone');
});

test('flatVerdict: PASS only when flat even two standard errors up, MISS only when not even two down', () => {
  assert.equal(FLAT_MIB_PER_1000, 20);
  assert.equal(flatVerdict({ slope: 10, error: 5 }), 'PASS');
  assert.equal(flatVerdict({ slope: 7.6, error: 14.7 }), 'cannot tell from this run (+7.6 ± 14.7)');
  assert.equal(flatVerdict({ slope: -12, error: 16.5 }), 'cannot tell from this run (-12.0 ± 16.5)');
  assert.equal(flatVerdict({ slope: 47.4, error: 2 }), 'MISS');
  assert.equal(flatVerdict({ slope: 30, error: 5 }), 'cannot tell from this run (+30.0 ± 5.0)');
});
