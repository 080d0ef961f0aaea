import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCast } from '../helpers/asciicast.js';
import { CastPlayer, screenText } from './replay.js';

const cast = parseCast(
  [
    '{"version":2,"width":12,"height":3,"timestamp":1,"env":{}}',
    '[0.5,"o","\\u001b[1;36mab\\u001b[0m \\u001b[7mc\\u001b[0m\\r\\n"]',
    '[1,"o","\\u001b[38;5;208mx\\u001b[38;2;1;2;3my\\u001b[48;5;4mz\\u001b[0m"]',
    '[1.5,"r","8x2"]',
    '[2,"o","\\r\\nend"]',
    '',
  ].join('\n'),
);

test('playTo applies the events up to that time, no further', async (t) => {
  const player = new CastPlayer(cast);
  t.after(() => player.dispose());
  assert.equal(player.duration, 2);
  assert.equal(screenText(await player.playTo(0.4)), '\n\n');
  assert.equal(screenText(await player.playTo(0.5)), 'ab c\n\n');
  const screen = await player.playTo(1.9);
  assert.equal(screen.time, 1.9);
  assert.deepEqual([screen.columns, screen.rows], [8, 2], 'the resize is applied');
  assert.equal(screenText(await player.playTo(2)), 'xyz\nend');
  await assert.rejects(player.playTo(1), /cannot play back to 1 s: already at 2 s/);
});

test('cells carry the colours and attributes the terminal holds', async (t) => {
  const player = new CastPlayer(cast);
  t.after(() => player.dispose());
  const { cells } = await player.playTo(1);
  const [a, , space, c] = cells[0]!;
  assert.deepEqual(a, { char: 'a', fg: { kind: 'palette', index: 6 }, bg: { kind: 'default' }, bold: true, dim: false, italic: false, underline: false, inverse: false });
  assert.equal(space?.char, ' ');
  assert.equal(space?.bold, false);
  assert.equal(c?.inverse, true);
  const [x, y, z] = cells[1]!;
  assert.deepEqual(x?.fg, { kind: 'palette', index: 208 });
  assert.deepEqual(y?.fg, { kind: 'rgb', rgb: 0x010203 });
  assert.deepEqual(z?.bg, { kind: 'palette', index: 4 });
});
