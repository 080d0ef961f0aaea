/**
 * `--record` in a real terminal (tmux): the cast holds what the terminal showed, at the terminal's
 * size, with the resize in between, and replays to the same summary.
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseCast } from '../helpers/asciicast.js';
import { CastPlayer, screenText } from '../screenshots/replay.js';
import { repoRoot, tempDir } from '../helpers/fixtures.js';
import { shellQuote, startTmux, tmuxSkip } from '../helpers/tmux.js';

test('--record writes an asciicast of the dashboard session: size, resizes, frames, the summary', { skip: tmuxSkip, timeout: 90_000 }, async (t) => {
  const dir = await tempDir(t, 'stardash-record-');
  const cast = join(dir, 'demo.cast');
  // Ink draws only the last frame when CI is set (as it is in CI): the dashboard must run live here.
  const command = `cd ${shellQuote(repoRoot)} && env -u CI node bin/stardash.js demo --count 8 --faults --timeout 2000 --bandwidth 200 -w 2 -o ${shellQuote(join(dir, 'out'))} --record ${shellQuote(cast)}; echo EXIT=$? ; sleep 30`;
  const { waitFor, resize, kill } = await startTmux(command, 100, 30);
  t.after(kill);

  await waitFor('the dashboard', (text) => text.includes('cpu0'));
  assert.deepEqual((await readdir(dir)).sort(), ['demo.cast.part', 'out'], 'FILE.part while recording');
  await resize(90, 28);
  await waitFor('the dashboard at the new width', (text) => text.split('\n')[0]?.trimEnd().length === 90);
  const end = await waitFor('the exit status', (text) => /EXIT=\d+/.test(text), 60_000);
  assert.match(end, /EXIT=0\b/);
  assert.deepEqual((await readdir(dir)).sort(), ['demo.cast', 'out'], 'the final name once done');

  const recorded = parseCast(await readFile(cast, 'utf8'));
  const { header, events, output } = recorded;
  assert.deepEqual([header.width, header.height], [100, 30]);
  assert.ok(events.length > 10, `frames were recorded: ${events.length} events`);
  assert.deepEqual(events.filter(([, code]) => code === 'r').map(([, , data]) => data), ['90x28']);
  assert.match(output, /cpu0/);
  // Played back, the cast ends on the summary, the dashboard cleared away.
  const player = new CastPlayer(recorded);
  t.after(() => player.dispose());
  const last = screenText(await player.playTo(player.duration));
  assert.match(last, /^✦ stardash demo finished in [\d.]+ s\n {2}8 tasks: 8 done · 0 failed · 0 skipped\n/);
  assert.doesNotMatch(last, /cpu0/);
  assert.doesNotMatch(output, /EXIT=/, 'only what stardash wrote');
  assert.doesNotMatch(output, /(?<!\r)\n/, 'every LF comes as CR LF, as the terminal got it');
  assert.ok(events.at(-1)![0] > events[0]![0], 'time passes');
});
