/**
 * A crash under the dashboard: stardash, in a real terminal (tmux), throws an error nothing catches
 * (test/ui/crash-on-signal.ts, loaded with --import, throws on SIGUSR2). The terminal must be given
 * back clean, the error shown as a bug with the way to continue, and the exit status be 70.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, tempDir } from '../helpers/fixtures.js';
import { shellQuote, startTmux, tmuxSkip } from '../helpers/tmux.js';

test('a crash under the dashboard: the frame is cleared, the terminal restored, the error said, exit 70', { skip: tmuxSkip, timeout: 60_000 }, async (t) => {
  const out = await tempDir(t, 'stardash-crash-');
  const pidFile = join(out, 'stardash.pid');
  const preload = join(repoRoot, 'dist', 'test', 'ui', 'crash-on-signal.js');
  const command =
    `cd ${shellQuote(repoRoot)} && env -u CI CRASH_PID_FILE=${shellQuote(pidFile)} node --import ${shellQuote(preload)} bin/stardash.js ` +
    `demo --count 24 --bandwidth 150 -w 2 -o ${shellQuote(join(out, 'run'))}; echo EXIT=$? ; sleep 30`;
  const term = await startTmux(command, 100, 30);
  t.after(term.kill);
  await term.waitFor('the dashboard', (text) => text.includes('cpu0') && /Stars Toward|Star Clouds/.test(text));
  process.kill(Number(await readFile(pidFile, 'utf8')), 'SIGUSR2');
  await term.waitFor('the exit status', (text) => /EXIT=\d+/.test(text), 10_000);

  const end = await term.history();
  assert.match(end, /stardash: stopped on an internal error \(a bug in stardash; please report it with these lines\):\nError: a crash for the test\n/);
  assert.match(end, /\nThe images finished so far are kept in .*run\.jsonl\.\nThe same command with --resume continues the run\.\n/);
  assert.match(end, /EXIT=70\b/);
  assert.doesNotMatch(end, /cpu0/, 'the dashboard frame is cleared, not left above the error');
  assert.equal(await term.display('#{cursor_flag}'), '1', 'the cursor is visible again');
  await term.keys('echo ok', 'Enter');
  await term.waitFor('typed text to echo', (text) => /EXIT=70[^]*echo ok/.test(text), 5_000);
});
