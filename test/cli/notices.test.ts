import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noticeChannel, noticeLine, type Notice } from '../../src/cli/notices.js';

const A: Notice = { code: 'E_A', message: 'a happened' };
const B: Notice = { code: 'E_B', message: 'b happened' };

test('a notice goes to the listener added last, to the fallback when none listens', () => {
  const seen: string[] = [];
  const channel = noticeChannel((n) => seen.push(`fallback ${n.code}`));
  channel.emit(A);
  const stopFirst = channel.source.on((n) => seen.push(`first ${n.code}`));
  channel.emit(A);
  const stopSecond = channel.source.on((n) => seen.push(`second ${n.code}`));
  channel.emit(B);
  stopSecond();
  channel.emit(B);
  stopFirst();
  stopFirst();
  channel.emit(A);
  assert.deepEqual(seen, ['fallback E_A', 'first E_A', 'second E_B', 'first E_B', 'fallback E_A']);
});

test('noticeLine: the message as a stardash line for stderr', () => {
  assert.equal(noticeLine(A), 'stardash: a happened\n');
});
