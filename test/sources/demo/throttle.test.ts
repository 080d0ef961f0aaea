import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { test } from 'node:test';
import { delay, THROTTLE_TICK_MS, throttleChunkBytes, type DemoTimers } from '../../../src/sources/demo/throttle.js';

test('the chunk per tick follows the rate, at least one byte', () => {
  assert.equal(THROTTLE_TICK_MS, 50);
  assert.equal(throttleChunkBytes(1), 51);
  assert.equal(throttleChunkBytes(64), 3277);
  assert.equal(throttleChunkBytes(0.001), 1);
});

/** Timers driven by hand: `fire()` runs what is due. */
function manualTimers(): DemoTimers & { pending: Map<number, () => void>; fire(): void } {
  const pending = new Map<number, () => void>();
  let next = 0;
  return {
    pending,
    setTimeout: (callback) => (pending.set(++next, callback), next),
    clearTimeout: (handle) => void pending.delete(handle as number),
    fire: () => {
      for (const [id, callback] of pending) {
        pending.delete(id);
        callback();
      }
    },
  };
}

// delay() only uses the response's 'close' event and `destroyed`: an EventEmitter stands in for it.
const fakeResponse = (): ServerResponse => Object.assign(new EventEmitter(), { destroyed: false }) as unknown as ServerResponse;

test('delay waits for its timer, and gives up (clearing the timer) when the response closes', async () => {
  const timers = manualTimers();
  const res = fakeResponse();
  const waited = delay(res, 1000, timers);
  assert.equal(timers.pending.size, 1);
  timers.fire();
  assert.equal(await waited, true);

  const closed = delay(res, 1000, timers);
  res.emit('close');
  assert.equal(await closed, false);
  assert.equal(timers.pending.size, 0);
});

test('no latency resolves at once, without a timer', async () => {
  const timers = manualTimers();
  assert.equal(await delay(fakeResponse(), 0, timers), true);
  assert.equal(timers.pending.size, 0);
});
