import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_VIDEO_INDEX } from '../../../src/sources/demo/catalogue.js';
import { DEMO_FAULTS, DEMO_FAULTS_SPAN, demoFaultFor, demoFaultsFor } from '../../../src/sources/demo/faults.js';

test('the fault table: every kind once, within the default 24 images, never the video', () => {
  assert.deepEqual(DEMO_FAULTS.map((f) => [f.index, f.kind, f.recovers]), [
    [1, 'server-error', true],
    [3, 'rate-limited', true],
    [6, 'truncated', true],
    [8, 'reset-mid-body', true],
    [10, 'not-found', false],
    [11, 'html', false],
    [13, 'stalled', true],
    [15, 'reset-before-headers', true],
  ]);
  assert.ok(DEMO_FAULTS.every((f) => f.index < 24 && f.index !== DEMO_VIDEO_INDEX));
  assert.ok(Object.isFrozen(DEMO_FAULTS) && DEMO_FAULTS.every((f) => Object.isFrozen(f)));
});

test('a recovering fault hits the first GET only, a permanent one every request, HEAD only permanent ones', () => {
  assert.equal(demoFaultFor(1, 1), 'server-error');
  assert.equal(demoFaultFor(1, 2), undefined);
  assert.equal(demoFaultFor(1, Infinity), undefined);
  assert.equal(demoFaultFor(10, 1), 'not-found');
  assert.equal(demoFaultFor(10, 7), 'not-found');
  assert.equal(demoFaultFor(11, Infinity), 'html');
  assert.equal(demoFaultFor(0, 1), undefined);
});

test('a smaller catalogue keeps the faults below its size', () => {
  assert.deepEqual(demoFaultsFor(7).map((f) => f.index), [1, 3, 6]);
  assert.equal(demoFaultsFor(24).length, DEMO_FAULTS.length);
});

test('with a period the fault set repeats: image i misbehaves as image i mod period does', () => {
  assert.equal(DEMO_FAULTS_SPAN, 16);
  assert.equal(demoFaultFor(24 + 10, 3, 24), 'not-found');
  assert.equal(demoFaultFor(48 + 1, 1, 24), 'server-error');
  assert.equal(demoFaultFor(48 + 1, 2, 24), undefined);
  assert.equal(demoFaultFor(24 + 10, 1), undefined, 'no period: only the first 16 images');
  assert.deepEqual(demoFaultsFor(30, 24).map((f) => [f.index, f.kind]), [
    ...DEMO_FAULTS.map((f) => [f.index, f.kind]),
    [25, 'server-error'], [27, 'rate-limited'],
  ]);
  assert.equal(demoFaultsFor(2000, 24).length, 83 * 8 + 3);
});
