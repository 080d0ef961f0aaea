import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa, type ResultPromise } from 'execa';
import { LOCK_DIR, OWNER_FILE } from '../../src/cli/out-lock.js';
import { BIN, stardash } from '../helpers/cli.js';
import { filesUnder, realsky, repoRoot, tempDir } from '../helpers/fixtures.js';
import { when } from '../helpers/run-events.js';
import { shellQuote, startTmux, tmuxSkip } from '../helpers/tmux.js';

/**
 * One run at a time per --out, with real bin/stardash.js processes: a second run on a folder a live
 * run holds stops at once (exit 2, the folder and the holder's pid on stderr) and changes nothing
 * there; the lock goes when a run ends normally, is interrupted, or quits at once on a second
 * Ctrl-C, and one left by a run killed outright is taken over by the next.
 */

/** A demo slow enough (60 KiB/s a response) to be caught while it downloads. */
interface SlowRun {
  child: ResultPromise<{ reject: false; detached: true }>;
  /** Resolves once the run has printed `text` on `stream`; rejects if it ends first. */
  until(stream: 'stdout' | 'stderr', text: string): Promise<void>;
}

function startSlowDemo(out: string): SlowRun {
  // Detached: its own process group, so that a SIGKILL or SIGSTOP reaches the second Node too.
  const child = execa(process.execPath, [BIN, 'demo', '--count', '6', '--bandwidth', '60', '--timeout', '60000', '--json', '-w', '1', '-o', out], {
    cwd: repoRoot,
    reject: false,
    detached: true,
  });
  const printed = { stdout: '', stderr: '' };
  const output = new EventEmitter();
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream].on('data', (chunk: Buffer) => {
      printed[stream] += chunk.toString();
      output.emit('data');
    });
  }
  return {
    child,
    until: (stream, text) =>
      Promise.race([
        when(output, 'data', () => printed[stream].includes(text)),
        child.then((run) => assert.fail(`the run ended (exit ${run.exitCode}) before printing ${text}:\n${run.stderr}`)),
      ]),
  };
}

/**
 * The process that runs stardash: on Linux, with stdout not a terminal, bin/stardash.js runs it in
 * a second Node (src/launch/relaunch.ts), its only child; else the started process itself.
 */
function runnerPid(pid: number): number {
  const children = existsSync(`/proc/${pid}/task/${pid}/children`) ? readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean) : [];
  return children.length === 1 ? Number(children[0]) : pid;
}

/** Ends a run started detached, whatever it was doing (even stopped): the test must not wait on its pipes. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Every file under `dir` with the SHA-256 of its bytes. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files = await filesUnder(dir);
  const hashes = await Promise.all(files.map(async (file) => createHash('sha256').update(await readFile(join(dir, file))).digest('hex')));
  return Object.fromEntries(files.map((file, i) => [file, hashes[i]!]));
}

function lockedText(out: string, pid: number): string {
  return `stardash: ${out} is in use by another stardash run (pid ${pid}): wait for it to end, or give another folder with --out.`;
}

test('a second run on an --out a live run holds: exit 2 at once, the folder and pid on stderr, nothing in the folder changed (every command, --resume too)', async (t) => {
  const dir = await tempDir(t);
  const out = join(dir, 'out');
  const list = join(dir, 'list.txt');
  await writeFile(list, 'http://127.0.0.1:9/never.jpg\n');
  const first = startSlowDemo(out);
  t.after(() => killGroup(first.child.pid!));
  await first.until('stdout', '"type":"download-started"');
  const holder = runnerPid(first.child.pid!);
  // Frozen (not ended: its pid is alive) so that its own writes cannot change the folder meanwhile.
  process.kill(-first.child.pid!, 'SIGSTOP');
  try {
    const before = await snapshot(out);
    assert.ok(before[join(LOCK_DIR, OWNER_FILE)], 'the first run holds the lock');
    const attempts = [
      ['demo', '--count', '2', '-o', out],
      ['demo', '--count', '2', '-o', out, '--resume', '--json'],
      ['analyze', realsky('eso_ngc2547_open_cluster.png'), '-o', out],
      ['urls', list, '-o', out],
      ['apod', '--date', '2024-01-01', '--api-url', 'http://127.0.0.1:9/apod', '-o', out],
    ];
    for (const args of attempts) {
      const run = await stardash(args);
      assert.equal(`${run.stderr}\nexit ${run.exitCode}`, `${lockedText(out, holder)}\nexit 2`, args.join(' '));
      assert.equal(run.stdout, '', args.join(' '));
      assert.deepEqual(await snapshot(out), before, `${args.join(' ')}: the folder is as it was`);
    }
  } finally {
    process.kill(-first.child.pid!, 'SIGCONT');
  }
  // The first run goes on undisturbed; interrupted, it lets go of the folder: the next run starts.
  first.child.kill('SIGINT');
  const ended = await first.child;
  assert.equal(ended.exitCode, 130, ended.stderr);
  assert.equal(existsSync(join(out, LOCK_DIR)), false, 'no lock left after an interrupt');
  const next = await stardash(['demo', '--count', '2', '-o', out]);
  assert.equal(next.exitCode, 0, next.stderr);
});

test('a lock left by a run killed outright (SIGKILL) is taken over: the next run succeeds', async (t) => {
  const out = join(await tempDir(t), 'out');
  const first = startSlowDemo(out);
  await first.until('stdout', '"type":"download-started"');
  const holder = runnerPid(first.child.pid!);
  killGroup(first.child.pid!);
  await first.child;
  const owner = JSON.parse(await readFile(join(out, LOCK_DIR, OWNER_FILE), 'utf8')) as { pid: number };
  assert.equal(owner.pid, holder, 'the killed run left its lock behind');
  const next = await stardash(['demo', '--count', '2', '-o', out, '--resume']);
  assert.equal(next.exitCode, 0, next.stderr);
  assert.equal(existsSync(join(out, LOCK_DIR)), false, 'the next run released the lock it took over');
});

test('the lock goes when a run ends normally, and when a second Ctrl-C quits at once', async (t) => {
  const out = join(await tempDir(t), 'out');
  const normal = await stardash(['demo', '--count', '2', '-o', out]);
  assert.equal(normal.exitCode, 0, normal.stderr);
  assert.equal(existsSync(join(out, LOCK_DIR)), false, 'no lock left after a normal run');

  const first = startSlowDemo(out);
  t.after(() => killGroup(first.child.pid!));
  await first.until('stdout', '"type":"download-started"');
  first.child.kill('SIGINT');
  await first.until('stderr', 'press Ctrl-C again');
  first.child.kill('SIGINT');
  const ended = await first.child;
  assert.equal(ended.exitCode, 130, ended.stderr);
  assert.match(ended.stderr, /quit at once/);
  assert.equal(existsSync(join(out, LOCK_DIR)), false, 'no lock left after quitting at once');
  const next = await stardash(['demo', '--count', '2', '-o', out]);
  assert.equal(next.exitCode, 0, next.stderr);
});

test('a lock lost under the dashboard: the notice shows in its frame (no stderr line tears it) and stays in the summary', { skip: tmuxSkip, timeout: 90_000 }, async (t) => {
  const out = join(await tempDir(t), 'out');
  // Ink draws only the last frame when CI is set: the dashboard must run live here.
  const command = `cd ${shellQuote(repoRoot)} && env -u CI node ${shellQuote(BIN)} demo --count 6 --bandwidth 60 -w 1 -o ${shellQuote(out)}; echo EXIT=$?; sleep 30`;
  // Wide enough for the whole notice on the footer (a narrower one cuts it short; the summary has it all).
  const tmux = await startTmux(command, 140, 30);
  t.after(tmux.kill);
  await tmux.waitFor('the dashboard', (text) => text.includes('cpu0'));
  // Paused, the dashboard stays up for as long as the run takes to notice.
  await tmux.keys('p');
  await tmux.waitFor('PAUSED', (text) => text.includes('PAUSED'));
  await rm(join(out, LOCK_DIR), { recursive: true });
  // proper-lockfile looks at its lock every 15 s (STALE_MS / 2).
  const screen = await tmux.waitFor('the notice', (text) => text.includes('lost the lock'), 40_000);
  const lines = screen.split('\n');
  assert.match(lines[0]!, /^✦ stardash demo · sky server/, `the frame is whole:\n${screen}`);
  const footer = lines.filter((line) => line.includes('lost the lock'));
  assert.equal(footer.length, 1, screen);
  assert.match(footer[0]!, new RegExp(`^⚠ lost the lock on ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(its \\.stardash\\.lock was removed\\): another run may be writing there too`));
  assert.doesNotMatch(screen, /stardash: lost the lock/, 'no line on stderr');
  assert.ok(lines.slice(lines.indexOf(footer[0]!) + 1).every((line) => line.trim() === ''), `the notice is on the footer, the last line:\n${screen}`);

  await tmux.keys('q');
  await tmux.waitFor('the exit status', (text) => /EXIT=\d+/.test(text), 15_000);
  const end = await tmux.history();
  assert.match(end, /EXIT=130\b/);
  assert.match(end, new RegExp(`^  ⚠ lost the lock on ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(its \\.stardash\\.lock was removed\\): another run may be writing there too`, 'm'), end);
  assert.doesNotMatch(end, /stardash: lost the lock/);
});
