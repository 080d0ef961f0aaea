import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RunEvent } from '../../src/orchestrator/events.js';
import { ActivityTracker } from '../../src/ui/activity.js';
import { FAILURE, added, finish, fold, skyResult, started } from './runs.js';

const names = Array.from({ length: 10 }, (_, i) => `img${i}`);

describe('ActivityTracker', () => {
  test('the frontier is the first unfinished task and the latest done is the last to finish', () => {
    const tracker = new ActivityTracker();
    let state = fold([started(2), added(names)]);
    assert.deepEqual({ ...tracker.update(state), starCounts: [] }, { frontier: 0, latestDone: -1, starCounts: [] });
    state = fold(finish('t1', 0, skyResult(1, 7)), state);
    assert.equal(tracker.update(state).frontier, 0, 't0 is not finished');
    assert.equal(tracker.update(state).latestDone, 1);
    state = fold(finish('t0', 1, skyResult(2, 3)), state);
    const a = tracker.update(state);
    assert.equal(a.frontier, 2);
    assert.equal(a.latestDone, 0);
    assert.deepEqual(a.starCounts, [7, 3]);
  });

  test('failed and skipped tasks are passed; a retry brings the frontier back', () => {
    const tracker = new ActivityTracker();
    let state = fold([
      started(2),
      added(names),
      { type: 'task-skipped', id: 't0', reason: 'video' },
      { type: 'download-started', id: 't1', attempt: 1 },
      { type: 'task-failed', id: 't1', stage: 'download', error: FAILURE },
    ]);
    assert.equal(tracker.update(state).frontier, 2);
    state = fold([{ type: 'task-retry', id: 't1' }], state);
    assert.equal(tracker.update(state).frontier, 1);
    state = fold(finish('t1', 0, skyResult(3, 5)), state);
    const a = tracker.update(state);
    assert.equal(a.frontier, 2);
    assert.equal(a.latestDone, 1);
    assert.deepEqual(a.starCounts, [5]);
  });

  test('the same state gives the same snapshot; a new run starts over', () => {
    const tracker = new ActivityTracker();
    const state = fold([started(1), added(names), ...finish('t0', 0, skyResult(1, 2))]);
    assert.equal(tracker.update(state), tracker.update(state));
    const next: RunEvent[] = [{ type: 'run-started', command: 'demo', detector: 'blob', workers: 1, at: '2030-01-01T00:00:00.000Z' }, added(['x'])];
    assert.deepEqual({ ...tracker.update(fold(next)) }, { frontier: 0, latestDone: -1, starCounts: [] });
  });

  test('keeping up with 10,000 tasks looks at few of them per update', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => `n${i}`);
    let state = fold([started(4), added(many)]);
    const tracker = new ActivityTracker();
    tracker.update(state);
    // Touch the tasks array through a proxy that counts reads.
    let reads = 0;
    for (let i = 0; i < 20; i++) {
      state = fold(finish(`t${i}`, i % 4, skyResult(i, i)), state);
      const tasks = state.tasks;
      const counted = new Proxy(tasks, { get: (t, k) => (typeof k === 'string' && /^\d+$/.test(k) && reads++, Reflect.get(t, k)) });
      tracker.update({ ...state, tasks: counted });
    }
    assert.ok(reads < 200, `read ${reads} task slots for 20 completions`);
  });
});
