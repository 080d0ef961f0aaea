/**
 * The dashboard in a real terminal: a detached tmux session runs `stardash demo`, the test reads the
 * screen and types keys (test/helpers/tmux.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { repoRoot, tempDir } from '../helpers/fixtures.js';
import { shellQuote, startTmux, tmuxSkip } from '../helpers/tmux.js';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('the dashboard runs in a real terminal: keys, pause, summary, exit status, terminal restored', { skip: tmuxSkip, timeout: 90_000 }, async (t) => {
  const out = await tempDir(t, 'stardash-tui-');
  // Ink draws only the last frame when CI is set (as it is in CI): the dashboard must run live here.
  const command = `cd ${shellQuote(repoRoot)} && env -u CI node bin/stardash.js demo --count 12 --faults --timeout 500 --bandwidth 400 -w 2 -o ${shellQuote(out)}; echo EXIT=$? ; sleep 30`;
  const { screen, keys, waitFor, display, kill } = await startTmux(command, 100, 30);
  t.after(kill);

  const countsLine = (text: string): string | undefined => text.split('\n').find((line) => /\d+ (queued|downloading|done|failed)/.test(line) && line.includes('stars'));
  /** Done images and stars from the counts line (a download in flight may still fail while paused: a 404 is an answer). */
  const doneCount = (text: string): string => {
    const line = countsLine(text) ?? '';
    return `${/(\d+) done/.exec(line)?.[1] ?? '0'} done, ${/✦ ([\d,]+) stars/.exec(line)?.[1] ?? '?'} stars`;
  };

  // The dashboard: CPU panel and task rows.
  const first = await waitFor('the dashboard', (text) => text.includes('cpu0') && /Stars Toward|Star Clouds/.test(text));
  assert.match(first, /stardash demo/);

  // p pauses: PAUSED shows, and once the analyses in flight have ended nothing more finishes.
  await keys('p');
  await waitFor('PAUSED', (text) => text.includes('PAUSED'));
  const idle = await waitFor('the workers to go idle while paused', (text) => text.includes('0/2 busy') && text.includes('PAUSED'));
  assert.ok(countsLine(idle), `a counts line on the screen:\n${idle}`);
  const done = doneCount(idle);
  for (let i = 0; i < 10; i++) {
    await pause(100);
    const text = await screen();
    assert.match(text, /PAUSED/);
    assert.equal(doneCount(text), done, `the done count does not change while paused; the screen was:\n${text}`);
  }

  // p again resumes, and the run finishes: the summary stays on screen, and two images failed.
  await keys('p');
  await waitFor('the run to resume', (text) => !text.includes('PAUSED'));
  const end = await waitFor('the exit status', (text) => /EXIT=\d+/.test(text), 60_000);
  assert.match(end, /stardash demo finished in/);
  assert.match(end, /12 tasks: 9 done · 2 failed · 1 skipped/);
  assert.match(end, /Failed \(2\)/);
  assert.match(end, /EXIT=1\b/);
  assert.doesNotMatch(end, /cpu0/, 'the dashboard is cleared before the summary');

  // The terminal is given back: the cursor shows, and typing echoes (no raw mode).
  const cursor = await display('#{cursor_flag}');
  assert.equal(cursor, '1', 'the cursor is visible again');
  await keys('echo ok', 'Enter');
  await waitFor('typed text to echo', (text) => text.split('EXIT=1')[1]?.includes('echo ok') ?? false, 5_000);
});
