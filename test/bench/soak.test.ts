import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { JOURNAL_FILE } from '../../src/report/journal.js';
import { tempDir } from '../helpers/fixtures.js';
import { soak } from './soak.js';

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
});
