import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Arrival, PAIR_WINDOW_MS, pairArrival } from '../../src/launch/relayed-signals.js';

/** Feeds arrivals in order; which of them were stops of their own. */
function acts(arrivals: readonly Arrival[], windowMs = PAIR_WINDOW_MS): boolean[] {
  let waiting: Arrival[] = [];
  return arrivals.map((arrival) => {
    const paired = pairArrival(waiting, arrival, windowMs);
    waiting = paired.waiting;
    return paired.act;
  });
}

const os = (signal: Arrival['signal'], at: number): Arrival => ({ signal, via: 'os', at });
const message = (signal: Arrival['signal'], at: number): Arrival => ({ signal, via: 'message', at });

test('a Ctrl-C (the signal itself and its relayed message) is one stop, in either order', () => {
  assert.deepEqual(acts([os('SIGINT', 0), message('SIGINT', 3)]), [true, false]);
  assert.deepEqual(acts([message('SIGINT', 0), os('SIGINT', 40)]), [true, false]);
});

test('two Ctrl-Cs are two stops, however close and whichever half comes first', () => {
  assert.deepEqual(acts([os('SIGINT', 0), message('SIGINT', 1), os('SIGINT', 90), message('SIGINT', 91)]), [true, false, true, false]);
  assert.deepEqual(acts([os('SIGINT', 0), os('SIGINT', 20), message('SIGINT', 30), message('SIGINT', 31)]), [true, true, false, false]);
});

test('a kill of one process alone is a stop each time: signals, or messages', () => {
  assert.deepEqual(acts([os('SIGTERM', 0), os('SIGTERM', 10)]), [true, true]);
  assert.deepEqual(acts([message('SIGINT', 0), message('SIGINT', 10)]), [true, true]);
});

test('different signals, or halves further apart than the window, do not pair', () => {
  assert.deepEqual(acts([os('SIGINT', 0), message('SIGTERM', 1)]), [true, true]);
  assert.deepEqual(acts([os('SIGINT', 0), message('SIGINT', PAIR_WINDOW_MS + 1)]), [true, true]);
  assert.deepEqual(acts([os('SIGINT', 0), message('SIGINT', PAIR_WINDOW_MS)]), [true, false]);
});
