import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { followWindow, taskWindow } from '../../src/ui/window.js';

describe('taskWindow', () => {
  test('shows everything when the list fits', () => {
    assert.deepEqual(taskWindow(5, 3, 10), { start: 0, end: 5 });
  });

  test('centres the selection, clamped to the ends', () => {
    assert.deepEqual(taskWindow(100, 50, 10), { start: 45, end: 55 });
    assert.deepEqual(taskWindow(100, 2, 10), { start: 0, end: 10 });
    assert.deepEqual(taskWindow(100, 99, 10), { start: 90, end: 100 });
  });

  test('always keeps the selection visible and the height full', () => {
    for (const height of [1, 2, 7, 14]) {
      for (let selected = -3; selected < 40; selected++) {
        const w = taskWindow(36, selected, height);
        const sel = Math.min(35, Math.max(0, selected));
        assert.ok(w.start <= sel && sel < w.end, `${selected} in ${w.start}–${w.end}`);
        assert.equal(w.end - w.start, height);
      }
    }
  });

  test('costs the same for a billion tasks (it never looks at them)', () => {
    assert.deepEqual(taskWindow(1e9, 5e8, 20), { start: 5e8 - 10, end: 5e8 + 10 });
  });
});

describe('followWindow', () => {
  test('puts the first unfinished task a quarter of the way down', () => {
    assert.deepEqual(followWindow(100, 40, 12), { start: 37, end: 49 });
  });

  test('shows the start at the start and the end once all are done', () => {
    assert.deepEqual(followWindow(100, 0, 12), { start: 0, end: 12 });
    assert.deepEqual(followWindow(100, 100, 12), { start: 88, end: 100 });
  });
});
