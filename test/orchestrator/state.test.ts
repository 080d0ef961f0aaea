import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AnalysisResult, RunEvent } from '../../src/orchestrator/events.js';
import { initialRunState, reduceRun, type RunState } from '../../src/orchestrator/state.js';

const result = (stars: number): AnalysisResult => ({
  width: 10,
  height: 8,
  bytes: 123,
  keypoints: Array.from({ length: stars }, (_, i) => ({ x: i, y: i, size: 3 })),
  thumbnail: { width: 2, height: 1, data: new Uint8Array(2), stars: [] },
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
    assert.deepEqual(busy.counts, { queued: 2, analysing: 1, done: 0, failed: 0, skipped: 0 });
    const done = [{ type: 'analysis-done', id: 'b', result: result(4) }, { type: 'worker-idle', worker: 1 }] as const;
    const state = done.reduce(reduceRun, busy);
    assert.equal(state.tasks[1]!.status, 'done');
    assert.equal(state.tasks[1]!.worker, undefined);
    assert.equal(state.stars, 4);
    assert.deepEqual(state.workers, [null, null]);
    assert.deepEqual(state.counts, { queued: 2, analysing: 0, done: 1, failed: 0, skipped: 0 });
  });

  test('a failure keeps its reason', () => {
    const state = run([started, added, { type: 'task-failed', id: 'c', error: { code: 'E_DECODE', message: 'bad' } }]);
    assert.deepEqual(state.tasks[2]!.error, { code: 'E_DECODE', message: 'bad' });
    assert.equal(state.counts.failed, 1);
  });

  test('events for unknown tasks change nothing', () => {
    const before = run([started, added]);
    assert.equal(reduceRun(before, { type: 'analysis-done', id: 'zzz', result: result(1) }), before);
    assert.equal(reduceRun(before, { type: 'task-failed', id: 'zzz', error: { code: 'E', message: '' } }), before);
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
});
