/**
 * The dashboard in a real terminal: a detached tmux session runs `stardash demo`, the test reads the
 * screen and types keys (test/helpers/tmux.ts).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Report } from '../../src/report/report.js';
import { filesUnder, repoRoot, tempDir } from '../helpers/fixtures.js';
import { shellQuote, startTmux, tmuxSkip } from '../helpers/tmux.js';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A tmux terminal (100×30 unless told) running `stardash ARGS -o OUT`, then `echo EXIT=$?`. */
async function terminal(t: TestContext, args: string, size = { width: 100, height: 30 }) {
  const out = await tempDir(t, 'stardash-tui-');
  // Ink draws only the last frame when CI is set (as it is in CI): the dashboard must run live here.
  // The shell notes the terminal's settings (stty -g) before and compares them after.
  const command =
    `before=$(stty -g); cd ${shellQuote(repoRoot)} && env -u CI node bin/stardash.js ${args} -o ${shellQuote(out)}; echo EXIT=$? ; ` +
    `[ "$(stty -g)" = "$before" ] && echo TTY=same || echo TTY=changed; sleep 30`;
  const tmux = await startTmux(command, size.width, size.height);
  t.after(tmux.kill);
  /** The terminal is given back: its settings as before (stty), the cursor shows, and typing echoes (no raw mode). */
  const assertRestored = async (): Promise<void> => {
    assert.match(await tmux.waitFor('the terminal settings compared', (text) => /TTY=\w+/.test(text), 5_000), /TTY=same/);
    assert.equal(await tmux.display('#{cursor_flag}'), '1', 'the cursor is visible again');
    await tmux.keys('echo ok', 'Enter');
    await tmux.waitFor('typed text to echo', (text) => /EXIT=\d+[^]*echo ok/.test(text), 5_000);
  };
  return { ...tmux, out, assertRestored };
}

const countsLine = (text: string): string | undefined => text.split('\n').find((line) => /\d+ [a-z]+ .*✦ [\d,]+ stars\s*$/.test(line));
/** A number from the counts line, e.g. countOf(screen, 'failed'): 0 for a state left out (no tasks), NaN without the line. */
function countOf(text: string, word: string): number {
  const line = countsLine(text);
  return line === undefined ? Number.NaN : Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0);
}
/** Done images and stars (a download in flight may still fail while paused: a 404 is an answer). */
const doneCount = (text: string): string => `${countOf(text, 'done')} done, ${/✦ ([\d,]+) stars/.exec(countsLine(text) ?? '')?.[1]} stars`;

test('the dashboard in a real terminal: pause holds everything, resume, q stops cleanly (exit 130), terminal restored', { skip: tmuxSkip, timeout: 90_000 }, async (t) => {
  // The demo server draws each sky on first request: 500 ms timed healthy images out on a loaded machine.
  const term = await terminal(t, 'demo --count 24 --faults --timeout 1500 --bandwidth 150 -w 2');

  // The dashboard: the source in the title, the CPU panel and task rows.
  const first = await term.waitFor('the dashboard', (text) => text.includes('cpu0') && /Stars Toward|Star Clouds/.test(text));
  assert.match(first, /stardash demo · sky server 127\.0\.0\.1:\d+ · seed 1, faults on/);

  // p pauses: PAUSED shows, and once the analyses in flight have ended nothing more finishes.
  await term.keys('p');
  await term.waitFor('PAUSED', (text) => text.includes('PAUSED'));
  const idle = await term.waitFor('the workers to go idle while paused', (text) => text.includes('0/2 busy') && text.includes('PAUSED'));
  const done = doneCount(idle);
  for (let i = 0; i < 10; i++) {
    await pause(100);
    const text = await term.screen();
    assert.match(text, /PAUSED/);
    assert.equal(doneCount(text), done, `the done count does not change while paused; the screen was:\n${text}`);
  }

  // p again resumes: more images finish.
  await term.keys('p');
  const resumed = await term.waitFor('more images to finish', (text) => !text.includes('PAUSED') && countOf(text, 'done') > countOf(idle, 'done'));
  assert.ok(countOf(resumed, 'done') < 21, `the run is still going when q is pressed:\n${resumed}`);

  // q stops cleanly: the summary says interrupted, the report too, and the exit status is 130.
  await term.keys('q');
  await term.waitFor('the exit status', (text) => /EXIT=\d+/.test(text), 10_000);
  const end = await term.history();
  assert.match(end, /stardash demo interrupted after/);
  assert.match(end, /24 tasks: \d+ done · \d failed · 1 skipped · \d+ stopped unfinished/);
  assert.match(end, /EXIT=130\b/);
  assert.doesNotMatch(end, /cpu0/, 'the dashboard is cleared before the summary');
  const report = JSON.parse(await readFile(join(term.out, 'report.json'), 'utf8')) as Report;
  assert.equal(report.interrupted, true);
  assert.equal(report.totals.tasks, 24);
  await term.assertRestored();
});

test('the dashboard in a real terminal: the preview draws the latest finished image in braille, its stars counted below', { skip: tmuxSkip, timeout: 90_000 }, async (t) => {
  const term = await terminal(t, 'demo --count 6 --bandwidth 150 -w 2', { width: 140, height: 30 });
  // Braille with dots (U+2801–U+28FF; U+2800 is a blank cell) in the pane; without a thumbnail it says it is waiting.
  const screen = await term.waitFor('a preview', (text) => /─ Latest ─+ .+ ─/.test(text) && /[\u2801-\u28ff]/.test(text));
  assert.doesNotMatch(screen, /waiting for the first finished image/);
  assert.match(screen, /✦ [\d,]+ stars? · /, 'the caption under the picture');
  await term.keys('q');
  assert.match(await term.waitFor('the exit status', (text) => /EXIT=\d+/.test(text), 10_000), /EXIT=(0|130)\b/);
});

test('the dashboard in a real terminal: r retries the failed images, and they recover', { skip: tmuxSkip, timeout: 90_000 }, async (t) => {
  // Without retries every fault fails at once; r puts the failed back in the queue. The demo's
  // recoverable faults (5xx, 429, truncated, resets, stall) answer a second request properly.
  // The timeout leaves room for the demo server, which draws each sky on first request in this process.
  const term = await terminal(t, 'demo --count 16 --faults --retries 0 --timeout 2000 --bandwidth 150 -w 2');
  let pressed = 0;
  const end = await term.waitFor(
    'the run to end with only the permanent failures',
    (text) => {
      if (/EXIT=\d+/.test(text)) return true;
      // More than the two that never recover: a recoverable one failed.
      if (countOf(text, 'failed') > 2) {
        pressed++;
        void term.keys('r');
      }
      return false;
    },
    60_000,
  );
  assert.ok(pressed > 0, 'r was pressed on failed images');
  // 16 images: 1 video skipped, 404 and HTML fail however often they are asked for, 13 done.
  assert.match(end, /16 tasks: 13 done · 2 failed · 1 skipped/);
  assert.match(end, /E_HTTP_404/);
  assert.match(end, /E_NOT_AN_IMAGE/);
  assert.match(end, /EXIT=1\b/);
  const report = JSON.parse(await readFile(join(term.out, 'report.json'), 'utf8')) as Report;
  const byFile = (n: number) => report.images.find((image) => image.url?.endsWith(`/images/${n}.jpg`) || image.url?.endsWith(`/images/${n}.png`));
  for (const n of [1, 3, 6, 8, 13, 15]) assert.equal(byFile(n)?.status, 'done', `image ${n} recovered after r`);
  await term.assertRestored();
});

test('the dashboard in a real terminal: Ctrl-C while paused stops cleanly within 2 s (exit 130), terminal restored', { skip: tmuxSkip, timeout: 90_000 }, async (t) => {
  const term = await terminal(t, 'demo --count 24 --faults --timeout 1500 --bandwidth 150 -w 2');
  await term.waitFor('the dashboard', (text) => text.includes('cpu0') && /Stars Toward|Star Clouds/.test(text));
  await term.keys('p');
  await term.waitFor('PAUSED', (text) => text.includes('PAUSED'));
  const pressed = performance.now();
  await term.keys('C-c');
  await term.waitFor('the exit status', (text) => /EXIT=\d+/.test(text), 10_000);
  const stoppedMs = performance.now() - pressed;
  assert.ok(stoppedMs < 2_000, `stopped ${Math.round(stoppedMs)} ms after Ctrl-C`);
  const end = await term.history();
  assert.match(end, /stardash demo interrupted after/);
  assert.match(end, /EXIT=130\b/);
  const report = JSON.parse(await readFile(join(term.out, 'report.json'), 'utf8')) as Report;
  assert.equal(report.interrupted, true);
  await term.assertRestored();
});

/**
 * A signal from outside (kill, a service manager, a closing terminal multiplexer), not a key: the
 * dashboard stops as for Ctrl-C, within 2 s, leaves no partial file, and gives the terminal back.
 */
async function signalled(t: TestContext, signal: 'SIGINT' | 'SIGTERM', paused: boolean): Promise<void> {
  const term = await terminal(t, 'demo --count 24 --faults --timeout 1500 --bandwidth 150 -w 2');
  await term.waitFor('downloads under way', (text) => text.includes('cpu0') && /↓ downloading .*[1-9][\d.]* KiB\/\d/.test(text));
  if (paused) {
    await term.keys('p');
    await term.waitFor('PAUSED', (text) => text.includes('PAUSED'));
  }
  const pid = await term.childPid('node');
  const sent = performance.now();
  process.kill(pid, signal);
  await term.waitFor('the exit status', (text) => /EXIT=\d+/.test(text), 10_000);
  const stoppedMs = performance.now() - sent;
  assert.ok(stoppedMs < 2_000, `stopped ${Math.round(stoppedMs)} ms after ${signal}`);
  const end = await term.history();
  assert.match(end, /stardash demo interrupted after/);
  assert.match(end, /EXIT=130\b/);
  assert.doesNotMatch(end, /cpu0/, 'the dashboard is cleared before the summary');
  const report = JSON.parse(await readFile(join(term.out, 'report.json'), 'utf8')) as Report;
  assert.equal(report.interrupted, true);
  const files = await filesUnder(term.out);
  assert.deepEqual(files.filter((f) => f.endsWith('.part') || f.includes('.tmp')), [], 'nothing half-written');
  const processed = files.filter((f) => f.startsWith('processed/')).sort();
  assert.deepEqual(processed, report.images.filter((i) => i.status === 'done').map((i) => i.processed).sort());
  await term.assertRestored();
}

test('the dashboard in a real terminal: SIGTERM while paused stops cleanly within 2 s (exit 130), terminal restored', { skip: tmuxSkip, timeout: 90_000 }, (t) =>
  signalled(t, 'SIGTERM', true));

test('the dashboard in a real terminal: SIGINT sent by kill mid-download stops cleanly within 2 s (exit 130), terminal restored', { skip: tmuxSkip, timeout: 90_000 }, (t) =>
  signalled(t, 'SIGINT', false));
