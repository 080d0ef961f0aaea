import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scopedSignal } from '../src/scoped-signal.js';

test('scopedSignal follows its parent until disposed, and no longer after', () => {
  const parent = new AbortController();
  const live = scopedSignal(parent.signal);
  const done = scopedSignal(parent.signal);
  done.dispose();
  parent.abort(new Error('stop'));
  assert.equal(live.signal.aborted, true);
  assert.equal((live.signal.reason as Error).message, 'stop');
  assert.equal(done.signal.aborted, false, 'a disposed scope is not aborted: a finished request hears nothing');
});

test('scopedSignal of an aborted parent starts aborted; without a parent it never aborts', () => {
  assert.equal(scopedSignal(AbortSignal.abort()).signal.aborted, true);
  assert.equal(scopedSignal(undefined).signal.aborted, false);
});
