import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RunEvent } from '../../src/orchestrator/events.js';
import { taskById, type TaskState } from '../../src/orchestrator/state.js';
import { countsLine } from '../../src/ui/counts.js';
import { rowColumns, stateLabel, taskDetail } from '../../src/ui/task-line.js';
import { FAILURE, T0, added, at, finish, fold, skyResult, started } from './runs.js';

const text = (task: TaskState, width = 60): string => taskDetail(task, width).map((s) => s.text).join('');
function task(...events: RunEvent[]): TaskState {
  return taskById(fold([started(2), added(['a.jpg']), ...events]), 't0')!;
}

describe('taskDetail', () => {
  test('downloading: a bar, bytes of the total and the speed', () => {
    const t = task({ type: 'download-started', id: 't0', attempt: 1 }, { type: 'download-progress', id: 't0', transferred: 1_300_000, total: 3_400_000, bytesPerSecond: 840_000 });
    assert.match(text(t), /^█+[▏▎▍▌▋▊▉]?░+ 1\.2\/3\.2 MiB +820 KiB\/s$/);
    const unknown = task({ type: 'download-started', id: 't0', attempt: 1 }, { type: 'download-progress', id: 't0', transferred: 90_000, bytesPerSecond: 120_000 });
    assert.match(text(unknown), /^░+ 87\.9 KiB +117 KiB\/s$/);
    assert.doesNotMatch(text(t, 20), /█/, 'no bar when narrow');
    const paused = taskDetail(t, 60, undefined, true).map((s) => s.text).join('');
    assert.match(paused, /^█+[▏▎▍▌▋▊▉]?░+ 1\.2\/3\.2 MiB +paused$/, 'a paused run shows no stale speed');
  });

  test('retrying: which attempt, after how long (counting down), and why', () => {
    const t = task(
      { type: 'download-started', id: 't0', attempt: 1 },
      { type: 'download-retrying', id: 't0', attempt: 2, delayMs: 1500, retryAt: at(11_500), error: { code: 'ECONNRESET', message: 'connection reset' } },
    );
    const detail = (now?: number): string => taskDetail(t, 60, now).map((s) => s.text).join('');
    assert.equal(detail(), 'attempt 2 in 1.5 s  connection reset');
    assert.equal(detail(T0 + 10_000), 'attempt 2 in 1.5 s  connection reset');
    assert.equal(detail(T0 + 11_100), 'attempt 2 in 400 ms  connection reset');
    assert.equal(detail(T0 + 11_500), 'attempt 2 now  connection reset');
    assert.equal(detail(T0 + 13_000), 'attempt 2 now  connection reset');
  });

  test('analysing: on which worker; downloaded: waiting for one', () => {
    const events = finish('t0', 3, skyResult(1, 5), 2_000_000);
    assert.equal(text(task(...events.slice(0, 3))), '1.9 MiB · waiting for a worker');
    assert.equal(text(task(...events.slice(0, 4))), 'on w3  1.9 MiB');
  });

  test('done: stars, the true stars over 5σ found and the false ones, time and size as room allows', () => {
    const result = { ...skyResult(1, 42), analysisMs: 340, truth: { stars: 45, found: 40, faintFound: 1, spurious: 1 } };
    const t = task(...finish('t0', 0, result, 2_000_000));
    assert.equal(text(t), '✦    42 stars  40/45 ≥5σ      1 false  340 ms    1.9 MiB');
    assert.equal(text(t, 38), '✦    42 stars  40/45 ≥5σ      1 false ', 'as at 120 columns');
    assert.equal(text(t, 37), '✦    42 stars  40/45 ≥5σ    ', 'no time without the false ones: columns stay aligned');
    assert.equal(text(t, 27), '✦    42 stars', 'no false ones without the true stars found');
    const one = task(...finish('t0', 0, { ...skyResult(1, 1), analysisMs: 340, truth: { stars: 1, found: 1, faintFound: 0, spurious: 0 } }, 2_000_000));
    assert.equal(text(one), '✦     1 star   1/1 ≥5σ        0 false  340 ms    1.9 MiB', 'one star, in the same columns');
  });

  test('done and kept from a resumed run: "kept" where the analysis time goes', () => {
    const result = { ...skyResult(1, 42), analysisMs: 340, truth: { stars: 45, found: 40, faintFound: 1, spurious: 1 } };
    const t = task({ type: 'task-restored', id: 't0', file: 'out/downloads/a.jpg', result });
    assert.match(text(t), /^✦ {4}42 stars {2}40\/45 ≥5σ +1 false +kept +[\d.]+ [KM]iB$/);
    assert.doesNotMatch(text(t), / ms\b/);
  });

  test('failed: the code and the reason; skipped: the reason', () => {
    const failed = task({ type: 'task-failed', id: 't0', stage: 'download', error: FAILURE });
    assert.equal(text(failed, 200), `${FAILURE.code}  ${FAILURE.message}`);
    assert.equal(text(task({ type: 'task-skipped', id: 't0', reason: 'media_type is video' })), 'media_type is video');
    assert.equal(text(task()), '');
  });

  test("a download error's leading GET and URL are left out: the row's name says which image", () => {
    const error = { code: 'E_HTTP_404', message: 'GET http://127.0.0.1:4000/images/10.jpg answered HTTP 404 Not Found' };
    assert.equal(text(task({ type: 'task-failed', id: 't0', stage: 'download', error }), 200), 'E_HTTP_404  answered HTTP 404 Not Found');
    const retrying = task(
      { type: 'download-started', id: 't0', attempt: 1 },
      { type: 'download-retrying', id: 't0', attempt: 2, delayMs: 500, retryAt: at(10_500), error: { code: 'E_HTTP_503', message: 'GET http://h/a.jpg answered HTTP 503' } },
    );
    assert.equal(text(retrying), 'attempt 2 in 500 ms  answered HTTP 503');
    const disk = { code: 'E_DISK_FULL', message: 'Saving http://h/a.jpg in /media/small/downloads failed: the disk is full (ENOSPC): free some space' };
    assert.equal(text(task({ type: 'task-failed', id: 't0', stage: 'download', error: disk }), 200), 'E_DISK_FULL  the disk is full (ENOSPC): free some space');
  });

  test('columns add up to the row width; states have an icon', () => {
    for (const w of [40, 80, 100, 158]) {
      const c = rowColumns(w);
      assert.equal(c.marker + c.name + 1 + c.state + c.detail, w);
    }
    assert.equal(stateLabel('downloading'), '↓ downloading');
    assert.equal(stateLabel('failed'), '✗ failed');
  });
});

describe('countsLine', () => {
  const counts = { queued: 5, downloading: 3, retrying: 1, downloaded: 1, analysing: 2, done: 10, failed: 1, skipped: 0 };
  const render = (l: ReturnType<typeof countsLine>): string => l.items.map((i) => i.count + i.label).join(l.gap) + (l.stars ? '  ✦ 530 stars' : '');

  test('all states in words when there is room', () => {
    assert.equal(render(countsLine(counts, 530, 200)), '5 queued  3 downloading  1 retrying  1 downloaded  2 analysing  10 done  1 failed  0 skipped  ✦ 530 stars');
  });

  test('then only busy states, then icons', () => {
    assert.equal(render(countsLine(counts, 530, 100)), '5 queued  3 downloading  1 retrying  1 downloaded  2 analysing  10 done  1 failed  ✦ 530 stars');
    assert.equal(render(countsLine(counts, 530, 60)), '· 5  ↓ 3  ↻ 1  ◦ 1  ◆ 2  ✓ 10  ✗ 1  ✦ 530 stars');
    for (const w of [30, 45, 60, 80, 100]) assert.ok(render(countsLine(counts, 530, w)).length <= Math.max(w, 24), `width ${w}`);
  });
});
