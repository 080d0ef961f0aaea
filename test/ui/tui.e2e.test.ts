/**
 * The dashboard in a real terminal: a detached tmux session runs `stardash demo`, the test reads the
 * screen with `capture-pane` and types with `send-keys`. Reading a real terminal means polling it:
 * every wait is a bounded loop of captures (≤ 100 ms apart) under a deadline, never a fixed sleep.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const tmux = await execa('tmux', ['-V'], { reject: false });
const skip = tmux.exitCode === 0 ? false : 'tmux is not installed: the real-terminal dashboard test needs it (apt-get install tmux)';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

test('the dashboard runs in a real terminal: keys, pause, summary, exit status, terminal restored', { skip, timeout: 90_000 }, async (t) => {
  const session = `stardash-e2e-${process.pid}-${Date.now()}`;
  const out = await mkdtemp(join(tmpdir(), 'stardash-tui-'));
  t.after(async () => {
    await execa('tmux', ['kill-session', '-t', session], { reject: false });
    await rm(out, { recursive: true, force: true });
  });

  // Ink draws only the last frame when CI is set (as it is in CI): the dashboard must run live here.
  const command = `cd ${quote(ROOT)} && env -u CI node bin/stardash.js demo --count 12 --faults --timeout 500 --bandwidth 400 -w 2 -o ${quote(out)}; echo EXIT=$? ; sleep 30`;
  await execa('tmux', ['new-session', '-d', '-s', session, '-x', '100', '-y', '30', command]);

  const screen = async (): Promise<string> => (await execa('tmux', ['capture-pane', '-p', '-t', session])).stdout;
  const keys = async (...args: string[]): Promise<void> => void (await execa('tmux', ['send-keys', '-t', session, ...args]));
  /** Captures until `check` holds; fails with the last screen after `timeoutMs`. */
  const waitFor = async (what: string, check: (text: string) => boolean, timeoutMs = 20_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    for (;;) {
      text = await screen();
      if (check(text)) return text;
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; the screen was:\n${text}`);
      await pause(50);
    }
  };
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
  const cursor = (await execa('tmux', ['display-message', '-p', '-t', session, '#{cursor_flag}'])).stdout.trim();
  assert.equal(cursor, '1', 'the cursor is visible again');
  await keys('echo ok', 'Enter');
  await waitFor('typed text to echo', (text) => text.split('EXIT=1')[1]?.includes('echo ok') ?? false, 5_000);
});
