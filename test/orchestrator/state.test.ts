import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { starMask } from '../../src/analysis/star-mask.js';
import type { AnalysisResult, RunEvent } from '../../src/orchestrator/events.js';
import { EMPTY_COUNTS, initialRunState, reduceRun, taskResult, type RunState } from '../../src/orchestrator/state.js';

const result = (stars: number): AnalysisResult => ({
  width: 10,
  height: 8,
  bytes: 123,
  keypoints: Array.from({ length: stars }, (_, i) => ({ x: i, y: i, size: 3 })),
  thumbnail: { width: 2, height: 1, data: new Uint8Array(2), stars: starMask(2, 1, []) },
  timings: { readMs: 1, decodeMs: 2, detectMs: 3, annotateMs: 4 },
  processed: 'processed/a.png',
  analysisMs: 10,
});

function run(events: RunEvent[]): RunState {
  return events.reduce(reduceRun, initialRunState());
}

const started: RunEvent = { type: 'run-started', command: 'analyze', detector: 'blob', workers: 2, at: '2026-01-01T00:00:00.000Z' };
const added: RunEvent = {
  type: 'tasks-added',
  tasks: [
    { id: 'a', name: 'a.png', file: '/x/a.png' },
    { id: 'b', name: 'b.png', file: '/x/b.png' },
    { id: 'c', name: 'c.png', file: '/x/c.png' },
  ],
};

describe('taskResult', () => {
  test('leaves the keypoints out, counts them, keeps the rest (the thumbnail too)', () => {
    const { keypoints: _keypoints, ...rest } = result(2);
    assert.deepEqual(taskResult(result(2)), { ...rest, stars: 2 });
    assert.equal('keypoints' in taskResult(result(2)), false);
  });
});

describe('reduceRun', () => {
  test('run-started sets the command, detector and an idle worker per thread', () => {
    const state = run([started]);
    assert.equal(state.command, 'analyze');
    assert.equal(state.startedAt, '2026-01-01T00:00:00.000Z');
    assert.deepEqual(state.workers, [null, null]);
  });

  test('tasks are queued in order; a repeated id is ignored', () => {
    const state = run([started, added, { type: 'tasks-added', tasks: [{ id: 'a', name: 'again', file: '/y' }] }]);
    assert.deepEqual(state.tasks.map((t) => [t.id, t.status]), [['a', 'queued'], ['b', 'queued'], ['c', 'queued']]);
    assert.equal(state.counts.queued, 3);
    assert.equal(state.tasks[0]!.name, 'a.png');
  });

  test('queued → analysing → done moves the counts, the worker and the star total', () => {
    const busy = run([started, added, { type: 'analysis-started', id: 'b', worker: 1 }]);
    assert.deepEqual(busy.workers, [null, 'b']);
    assert.deepEqual(busy.counts, { ...EMPTY_COUNTS, queued: 2, analysing: 1 });
    const done = [{ type: 'analysis-done', id: 'b', result: result(4) }, { type: 'worker-idle', worker: 1 }] as const;
    const state = done.reduce(reduceRun, busy);
    assert.equal(state.tasks[1]!.status, 'done');
    assert.equal(state.tasks[1]!.worker, undefined);
    assert.equal(state.stars, 4);
    const { keypoints: _keypoints, ...rest } = result(4);
    assert.deepEqual(state.tasks[1]!.result, { ...rest, stars: 4 }, 'the result without its keypoints, counted: the report reads them back');
    assert.deepEqual(state.workers, [null, null]);
    assert.deepEqual(state.counts, { ...EMPTY_COUNTS, queued: 2, done: 1 });
  });

  test('a failure keeps its reason', () => {
    const state = run([started, added, { type: 'task-failed', id: 'c', stage: 'analysis', error: { code: 'E_DECODE', message: 'bad' } }]);
    assert.deepEqual(state.tasks[2]!.error, { code: 'E_DECODE', message: 'bad' });
    assert.equal(state.counts.failed, 1);
  });

  test('events for unknown tasks change nothing', () => {
    const before = run([started, added]);
    assert.equal(reduceRun(before, { type: 'analysis-done', id: 'zzz', result: result(1) }), before);
    assert.equal(reduceRun(before, { type: 'task-failed', id: 'zzz', stage: 'analysis', error: { code: 'E', message: '' } }), before);
  });

  test('the reducer is pure: the previous state is never modified', () => {
    const before = run([started, added]);
    const snapshot = structuredClone(before);
    reduceRun(before, { type: 'analysis-started', id: 'a', worker: 0 });
    reduceRun(before, { type: 'analysis-done', id: 'a', result: result(2) });
    assert.deepEqual(before, snapshot);
  });

  test('run-finished records the end and whether it was interrupted', () => {
    const state = run([started, added, { type: 'run-finished', at: '2026-01-01T00:00:05.000Z', interrupted: true }]);
    assert.equal(state.finishedAt, '2026-01-01T00:00:05.000Z');
    assert.equal(state.interrupted, true);
  });

  test('a download: started → progress → retrying with its wait → started again → downloaded', () => {
    const remote: RunEvent = { type: 'tasks-added', tasks: [{ id: 'd', name: 'M31', file: '', url: 'http://x/m31.jpg' }] };
    const steps: RunEvent[] = [
      started,
      remote,
      { type: 'download-started', id: 'd', attempt: 1 },
      { type: 'download-progress', id: 'd', transferred: 500, total: 2000, bytesPerSecond: 1000 },
    ];
    const downloading = run(steps);
    assert.deepEqual(downloading.tasks[0]!.progress, { transferred: 500, total: 2000, bytesPerSecond: 1000 });
    assert.equal(downloading.counts.downloading, 1);
    const retrying = reduceRun(downloading, {
      type: 'download-retrying',
      id: 'd',
      attempt: 2,
      delayMs: 1500,
      retryAt: '2026-01-01T00:00:01.500Z',
      error: { code: 'E_HTTP_503', message: '503' },
    });
    assert.equal(retrying.tasks[0]!.status, 'retrying');
    assert.deepEqual(retrying.tasks[0]!.retry, { attempt: 2, delayMs: 1500, retryAt: '2026-01-01T00:00:01.500Z', reason: '503' });
    const again = reduceRun(retrying, { type: 'download-started', id: 'd', attempt: 2 });
    assert.equal(again.tasks[0]!.retry, undefined);
    const download = { file: '/out/downloads/m31.jpg', bytes: 2000, attempts: 2, downloadMs: 1800, fromManifest: false };
    const landed = reduceRun(again, { type: 'download-done', id: 'd', download });
    assert.equal(landed.tasks[0]!.status, 'downloaded');
    assert.equal(landed.tasks[0]!.file, '/out/downloads/m31.jpg');
    assert.equal(landed.tasks[0]!.progress, undefined);
    assert.equal(landed.bytesDownloaded, 2000);
    assert.deepEqual(landed.counts, { ...EMPTY_COUNTS, downloaded: 1 });
    const reused = reduceRun(reduceRun(run([started, remote]), { type: 'download-started', id: 'd', attempt: 1 }), {
      type: 'download-done',
      id: 'd',
      download: { ...download, fromManifest: true, attempts: 0 },
    });
    assert.equal(reused.bytesDownloaded, 0, 'a file reused from an earlier run was not downloaded');
  });

  test('skipped entries keep their reason and count as skipped', () => {
    const state = run([started, added, { type: 'task-skipped', id: 'b', reason: 'media_type is video, not an image' }]);
    assert.equal(state.tasks[1]!.status, 'skipped');
    assert.equal(state.tasks[1]!.error?.message, 'media_type is video, not an image');
    assert.equal(state.counts.skipped, 1);
  });

  test('a failed task can be retried (back to queued); other tasks cannot', () => {
    const failed = run([started, added, { type: 'task-failed', id: 'a', stage: 'download', error: { code: 'E_HTTP_404', message: 'gone' } }]);
    assert.equal(failed.tasks[0]!.failedStage, 'download');
    const retried = reduceRun(failed, { type: 'task-retry', id: 'a' });
    assert.equal(retried.tasks[0]!.status, 'queued');
    assert.equal(retried.tasks[0]!.error, undefined);
    assert.deepEqual(retried.counts, { ...EMPTY_COUNTS, queued: 3 });
    assert.equal(reduceRun(retried, { type: 'task-retry', id: 'b' }), retried);
  });

  test('notices are kept in order, code and message', () => {
    const state = run([started, { type: 'notice', code: 'E_A', message: 'first' }, { type: 'notice', code: 'E_B', message: 'second' }]);
    assert.deepEqual(state.notices, [{ code: 'E_A', message: 'first' }, { code: 'E_B', message: 'second' }]);
    assert.deepEqual(run([started]).notices, []);
  });

  test('pause and resume flip the paused flag once', () => {
    const paused = run([started, { type: 'run-paused' }]);
    assert.equal(paused.paused, true);
    assert.equal(reduceRun(paused, { type: 'run-paused' }), paused);
    assert.equal(reduceRun(paused, { type: 'run-resumed' }).paused, false);
  });

  test('task-restored: a queued task is done at once with the earlier run\'s file, download and result, its stars counted, nothing downloaded', () => {
    const download = { file: 'out/downloads/b.png', bytes: 500, attempts: 2, downloadMs: 40, fromManifest: false };
    const state = run([started, added, { type: 'task-restored', id: 'b', file: 'out/downloads/b.png', download, result: result(3) }]);
    assert.deepEqual(
      [state.tasks[1]!.status, state.tasks[1]!.restored, state.tasks[1]!.file, state.tasks[1]!.download, state.tasks[1]!.result],
      ['done', true, 'out/downloads/b.png', download, taskResult(result(3))],
    );
    assert.deepEqual(state.counts, { ...EMPTY_COUNTS, queued: 2, done: 1 });
    assert.deepEqual([state.stars, state.bytesDownloaded], [3, 0]);
  });

  test('task-restored leaves a task that is no longer queued, and unknown ids, as they are', () => {
    const busy = run([started, added, { type: 'analysis-started', id: 'a', worker: 0 }]);
    assert.equal(reduceRun(busy, { type: 'task-restored', id: 'a', file: '/x/a.png', result: result(1) }), busy);
    assert.equal(reduceRun(busy, { type: 'task-restored', id: 'zz', file: '/x/zz.png', result: result(1) }), busy);
  });

  test('tasks keep the key they were added with', () => {
    const state = run([started, { type: 'tasks-added', tasks: [{ id: 'k', name: 'k.png', file: '', url: 'http://h/k.png', key: 'http://h/k.png' }] }]);
    assert.equal(state.tasks[0]!.key, 'http://h/k.png');
  });
});
