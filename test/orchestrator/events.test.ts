import assert from 'node:assert/strict';
import { test } from 'node:test';
import { printableEvent, type RunEvent } from '../../src/orchestrator/events.js';

test('printableEvent: names, reasons and error messages from outside are made printable', () => {
  const error = { code: 'E_HTTP_404', message: 'GET http://h/x answered HTTP 404 \u001b[2JGone' };
  assert.deepEqual(printableEvent({ type: 'task-failed', id: '1', stage: 'download', error }), {
    type: 'task-failed', id: '1', stage: 'download', error: { code: 'E_HTTP_404', message: 'GET http://h/x answered HTTP 404 ␛[2JGone' },
  });
  assert.deepEqual(printableEvent({ type: 'download-retrying', id: '1', attempt: 2, delayMs: 5, retryAt: 'T', error }), {
    type: 'download-retrying', id: '1', attempt: 2, delayMs: 5, retryAt: 'T', error: { code: 'E_HTTP_404', message: 'GET http://h/x answered HTTP 404 ␛[2JGone' },
  });
  assert.deepEqual(printableEvent({ type: 'task-skipped', id: '2', reason: 'line 2: \u0007' }), { type: 'task-skipped', id: '2', reason: 'line 2: ␇' });
  assert.deepEqual(printableEvent({ type: 'notice', code: 'E_OUT_LOCK_LOST', message: 'lost the lock on out\u001b[2J' }), { type: 'notice', code: 'E_OUT_LOCK_LOST', message: 'lost the lock on out␛[2J' });
  assert.deepEqual(
    printableEvent({ type: 'tasks-added', tasks: [{ id: '1', name: 'x\u001b]2;T\u0007y.jpg', file: '/in/x\u001b.jpg' }, { id: '2', name: 'fine', file: '' }] }),
    { type: 'tasks-added', tasks: [{ id: '1', name: 'x␛]2;T␇y.jpg', file: '/in/x\u001b.jpg' }, { id: '2', name: 'fine', file: '' }] },
    'the name only: the file is a path to read',
  );
});

test('printableEvent: an event with nothing to change is the same object', () => {
  const events: RunEvent[] = [
    { type: 'tasks-added', tasks: [{ id: '1', name: 'Stars Toward Auriga', file: '' }] },
    { type: 'download-started', id: '1', attempt: 1 },
    { type: 'run-paused' },
  ];
  for (const event of events) assert.equal(printableEvent(event), event);
});
