/**
 * Records the demo for the screenshots: `stardash demo … --record` in a real terminal (tmux) of a
 * fixed size, paused by the `p` key a third of the way through and resumed, so that the cast holds
 * a run with rows, the CPU panel, the preview, a pause, faults and the summary.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { repoRoot } from '../helpers/fixtures.js';
import { shellQuote, startTmux } from '../helpers/tmux.js';

export interface DemoRecording {
  /** The demo's arguments after `stardash demo`, as shown in the pictures' title. */
  args: readonly string[];
  columns: number;
  rows: number;
  /** How long to hold the pause, in ms (so that it shows in the animation). */
  pauseMs: number;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** tmux from Debian's packages when it is missing (as root); else says how to get it. */
export async function ensureTmux(log: (line: string) => void): Promise<void> {
  if ((await execa('tmux', ['-V'], { reject: false })).exitCode === 0) return;
  if (process.getuid?.() !== 0) throw new Error('tmux is needed to record the demo in a real terminal: install it (apt-get install tmux) and run again.');
  log('installing tmux (apt-get)…');
  await execa('apt-get', ['update'], { stdio: 'inherit' });
  await execa('apt-get', ['install', '-y', '--no-install-recommends', 'tmux'], { stdio: 'inherit', env: { DEBIAN_FRONTEND: 'noninteractive' } });
}

/** Done images on the dashboard's counts line. */
function doneCount(screen: string): number {
  const line = screen.split('\n').find((text) => /\d+ done/.test(text) && text.includes('stars'));
  return Number(/(\d+) done/.exec(line ?? '')?.[1] ?? 0);
}

/** Runs the demo in tmux, presses `p` twice, and writes the cast to `castFile`. Returns the exit line. */
export async function recordDemo(castFile: string, options: DemoRecording, log: (line: string) => void): Promise<string> {
  const count = Number(options.args[options.args.indexOf('--count') + 1] ?? 24);
  // The output folder is a relative path in a scratch folder, so that the summary shows a tidy one.
  const scratch = await mkdtemp(join(tmpdir(), 'stardash-screenshots-'));
  const bin = join(repoRoot, 'bin', 'stardash.js');
  // Ink draws only the final frame when CI is set: the recording needs the live dashboard.
  const command = `cd ${shellQuote(scratch)} && env -u CI -u NO_COLOR -u FORCE_COLOR node ${shellQuote(bin)} demo ${options.args.map(shellQuote).join(' ')} -o stardash-out --record ${shellQuote(castFile)}; echo EXIT=$?; sleep 60`;
  const tmux = await startTmux(command, options.columns, options.rows);
  try {
    await tmux.waitFor('the dashboard', (text) => text.includes('cpu0'), 30_000);
    log('recording: the dashboard is up');
    await tmux.waitFor(`a third of the images done`, (text) => doneCount(text) >= Math.ceil(count / 3) || /EXIT=/.test(text), 60_000);
    await tmux.keys('p');
    await tmux.waitFor('the pause, workers idle', (text) => text.includes('PAUSED') && /\b0\/\d+ busy/.test(text), 30_000);
    log('recording: paused');
    await pause(options.pauseMs);
    await tmux.keys('p');
    const end = await tmux.waitFor('the end of the run', (text) => /EXIT=\d+/.test(text), 120_000);
    log('recording: done');
    return /EXIT=\d+/.exec(end)?.[0] ?? '';
  } finally {
    await tmux.kill();
    await rm(scratch, { recursive: true, force: true });
  }
}
