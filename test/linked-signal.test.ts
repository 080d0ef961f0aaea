import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { linkedSignal } from '../src/linked-signal.js';

test('aborts with the reason of the first source that aborts, then stops listening to the others', () => {
  const a = new AbortController();
  const b = new AbortController();
  const { signal } = linkedSignal([a.signal, undefined, b.signal]);
  assert.equal(signal.aborted, false);
  b.abort('closed');
  assert.deepEqual([signal.aborted, signal.reason], [true, 'closed']);
  assert.deepEqual([getEventListeners(a.signal, 'abort').length, getEventListeners(b.signal, 'abort').length], [0, 0]);
});

test('a source already aborted: aborted at once', () => {
  const a = AbortSignal.abort('gone');
  const { signal } = linkedSignal([new AbortController().signal, a]);
  assert.deepEqual([signal.aborted, signal.reason], [true, 'gone']);
});

test('dispose() lets go: nothing listens to the sources, and what listened to the signal can be collected', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const run = new AbortController(); // lives as long as a run
  const listener = (): WeakRef<object> => {
    const request = { body: new Uint8Array(1024) }; // stands for a got request listening to its signal
    const { signal, dispose } = linkedSignal([run.signal]);
    signal.addEventListener('abort', () => request.body.fill(0));
    dispose();
    return new WeakRef(request);
  };
  const refs = Array.from({ length: 20 }, listener);
  assert.equal(getEventListeners(run.signal, 'abort').length, 0);
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  assert.equal(refs.filter((ref) => ref.deref() !== undefined).length, 0, 'every request was collected');
});

test('once disposed it no longer aborts: a finished request hears nothing of a later stop', () => {
  const run = new AbortController();
  const live = linkedSignal([run.signal]);
  const done = linkedSignal([run.signal]);
  done.dispose();
  run.abort(new Error('stop'));
  assert.equal(live.signal.aborted, true);
  assert.equal(done.signal.aborted, false);
});
