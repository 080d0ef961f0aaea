import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { keyCommand } from '../../src/ui/keys.js';
import { INITIAL_VIEW, clampSelected, reduceView, type ViewAction, type ViewState } from '../../src/ui/view-state.js';

const ctx = { total: 100, page: 10, anchor: 40 };
const apply = (view: ViewState, ...actions: ViewAction['type'][]): ViewState =>
  actions.reduce((v, type) => reduceView(v, { type } as ViewAction, ctx), view);
const browsing: ViewState = { selected: 50, follow: false, helpVisible: false };

describe('reduceView', () => {
  test('starts following the activity, help hidden', () => {
    assert.deepEqual(INITIAL_VIEW, { selected: 0, follow: true, helpVisible: false });
  });

  test('moving while following starts from the followed row and stops following', () => {
    assert.deepEqual(apply(INITIAL_VIEW, 'down'), { selected: 41, follow: false, helpVisible: false });
    assert.deepEqual(apply(INITIAL_VIEW, 'up'), { selected: 39, follow: false, helpVisible: false });
  });

  test('up, down, pages, home and end move and clamp to the list', () => {
    assert.equal(apply(browsing, 'up').selected, 49);
    assert.equal(apply(browsing, 'down', 'down').selected, 52);
    assert.equal(apply(browsing, 'pageDown').selected, 60);
    assert.equal(apply(browsing, 'pageUp', 'pageUp').selected, 30);
    assert.equal(apply(browsing, 'home').selected, 0);
    assert.equal(apply(browsing, 'end').selected, 99);
    assert.equal(apply(browsing, 'end', 'down', 'pageDown').selected, 99);
    assert.equal(apply(browsing, 'home', 'up', 'pageUp').selected, 0);
  });

  test('a move that changes nothing returns the same object', () => {
    const top = { ...browsing, selected: 0 };
    assert.equal(reduceView(top, { type: 'up' }, ctx), top);
  });

  test('follow returns to following; help toggles and hides', () => {
    assert.equal(apply(browsing, 'follow').follow, true);
    assert.equal(apply(browsing, 'follow').selected, 50);
    assert.equal(apply(browsing, 'toggleHelp').helpVisible, true);
    assert.equal(apply(browsing, 'toggleHelp', 'toggleHelp').helpVisible, false);
    assert.equal(apply(browsing, 'toggleHelp', 'hideHelp').helpVisible, false);
    assert.equal(reduceView(browsing, { type: 'hideHelp' }, ctx), browsing);
  });

  test('an empty list keeps the selection at 0', () => {
    assert.equal(reduceView(browsing, { type: 'down' }, { total: 0, page: 10 }).selected, 0);
    assert.equal(clampSelected({ ...browsing, selected: 500 }, 100), 99);
    assert.equal(clampSelected(browsing, 0), 0);
  });
});

describe('keyCommand', () => {
  test('maps arrows, j k, pages, g G to moves', () => {
    assert.deepEqual(keyCommand('', { upArrow: true }), { kind: 'view', action: { type: 'up' } });
    assert.deepEqual(keyCommand('j', {}), { kind: 'view', action: { type: 'down' } });
    assert.deepEqual(keyCommand('k', {}), { kind: 'view', action: { type: 'up' } });
    assert.deepEqual(keyCommand('', { pageDown: true }), { kind: 'view', action: { type: 'pageDown' } });
    assert.deepEqual(keyCommand('', { pageUp: true }), { kind: 'view', action: { type: 'pageUp' } });
    assert.deepEqual(keyCommand('g', {}), { kind: 'view', action: { type: 'home' } });
    assert.deepEqual(keyCommand('G', {}), { kind: 'view', action: { type: 'end' } });
    assert.deepEqual(keyCommand('f', {}), { kind: 'view', action: { type: 'follow' } });
  });

  test('maps p and space to pause, r and R/enter to retries, ? to help, q to quit', () => {
    assert.deepEqual(keyCommand('p', {}), { kind: 'togglePause' });
    assert.deepEqual(keyCommand(' ', {}), { kind: 'togglePause' });
    assert.deepEqual(keyCommand('r', {}), { kind: 'retryAll' });
    assert.deepEqual(keyCommand('R', {}), { kind: 'retrySelected' });
    assert.deepEqual(keyCommand('\r', { return: true }), { kind: 'retrySelected' });
    assert.deepEqual(keyCommand('?', {}), { kind: 'view', action: { type: 'toggleHelp' } });
    assert.deepEqual(keyCommand('q', {}), { kind: 'quit' });
  });

  test('escape closes help, or else returns to following; other keys do nothing', () => {
    assert.deepEqual(keyCommand('', { escape: true }, true), { kind: 'view', action: { type: 'hideHelp' } });
    assert.deepEqual(keyCommand('', { escape: true }, false), { kind: 'view', action: { type: 'follow' } });
    assert.equal(keyCommand('x', {}), undefined);
    assert.equal(keyCommand('q', { ctrl: true }), undefined);
  });
});
