/**
 * bin/stardash.js on Linux: stardash runs in a second Node started with MALLOC_ARENA_MAX=2, and the
 * first passes through what a user sees of a process: signals (a Ctrl-C to both counted once),
 * the exit status, and the terminal (the same stdin, stdout and stderr).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { execa, type ResultPromise } from 'execa';
import { ALLOCATOR_ENV, RELAUNCHED, relaunchEnv, settleRelaunched } from '../../src/launch/relaunch.js';
import type { Report } from '../../src/report/report.js';
import { BIN } from '../helpers/cli.js';
import { repoRoot, tempDir } from '../helpers/fixtures.js';
import { shellQuote, startTmux, tmuxSkip } from '../helpers/tmux.js';

const linux = process.platform === 'linux';

test('relaunchEnv: on Linux, output not a terminal, once, adds two arenas and a 1 MiB mmap threshold; not elsewhere, not on a terminal, not over the user’s values, not under Node’s options', () => {
  const env = { PATH: '/bin', CI: 'true' };
  const relaunched = { PATH: '/bin', CI: 'true', MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '1048576', [RELAUNCHED]: '1' };
  assert.deepEqual(relaunchEnv({ platform: 'linux', env, execArgv: [], interactive: false }), relaunched);
  assert.deepEqual(ALLOCATOR_ENV, { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '1048576' });
  assert.equal(relaunchEnv({ platform: 'linux', env: { ...env, MALLOC_MMAP_THRESHOLD_: '65536' }, execArgv: [], interactive: false }), undefined);
  assert.equal(relaunchEnv({ platform: 'darwin', env, execArgv: [], interactive: false }), undefined);
  assert.equal(relaunchEnv({ platform: 'win32', env, execArgv: [], interactive: false }), undefined);
  assert.equal(relaunchEnv({ platform: 'linux', env: { ...env, MALLOC_ARENA_MAX: '8' }, execArgv: [], interactive: false }), undefined);
  assert.equal(relaunchEnv({ platform: 'linux', env: { ...env, MALLOC_ARENA_MAX: '' }, execArgv: [], interactive: false }), undefined);
  assert.equal(relaunchEnv({ platform: 'linux', env: { ...env, [RELAUNCHED]: '1' }, execArgv: [], interactive: false }), undefined);
  assert.equal(relaunchEnv({ platform: 'linux', env, execArgv: ['--cpu-prof'], interactive: false }), undefined);
  assert.equal(relaunchEnv({ platform: 'linux', env, execArgv: [], interactive: true }), undefined);
});

test('settleRelaunched: the second process keeps two arenas for what it starts, not its own mmap threshold or the marker', () => {
  const env = relaunchEnv({ platform: 'linux', env: { PATH: '/bin' }, execArgv: [], interactive: false })!;
  assert.equal(settleRelaunched(env), true);
  assert.deepEqual(env, { PATH: '/bin', MALLOC_ARENA_MAX: '2' });
  const first = { PATH: '/bin', MALLOC_MMAP_THRESHOLD_: '65536' };
  assert.equal(settleRelaunched(first), false);
  assert.deepEqual(first, { PATH: '/bin', MALLOC_MMAP_THRESHOLD_: '65536' }, 'a user’s own threshold is theirs');
});

/** The processes a process started (Linux: its main thread's children), but for `stardash demo`'s sky server; or only that, with `servers`. */
async function childrenOf(pid: number, { servers = false } = {}): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
  const pids = text.split(' ').filter(Boolean).map(Number);
  const names = await Promise.all(pids.map((child) => readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '')));
  return pids.filter((_, i) => names[i]!.startsWith('stardash demo server') === servers);
}

async function environOf(pid: number): Promise<string[]> {
  return (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0');
}

/**
 * `stardash demo` with --json, slowed down so that it is still downloading when `ready` resolves
 * (its first download-started event). `detached` puts it in a process group of its own, as a
 * terminal does a command, so that a Ctrl-C can be imitated by signalling the group.
 */
function slowDemo(out: string, env: NodeJS.ProcessEnv = {}) {
  const child: ResultPromise = execa(process.execPath, [BIN, 'demo', '--count', '6', '--bandwidth', '60', '--json', '-w', '1', '-o', out], {
    cwd: repoRoot,
    reject: false,
    detached: true,
    env,
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('"type":"download-started"')) resolve();
    });
    child.once('exit', () => reject(new Error('the demo ended before it was under way')));
  });
  return { child, ready };
}

async function interruptedReport(t: TestContext, out: string): Promise<Report> {
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
  t.assert.equal(report.interrupted, true);
  return report;
}

test('node bin/stardash.js runs stardash in a second process with MALLOC_ARENA_MAX=2; a user’s own value keeps it in one', { skip: !linux }, async (t) => {
  const dir = await tempDir(t);
  const relaunched = slowDemo(join(dir, 'a'));
  await relaunched.ready;
  const [second, ...more] = await childrenOf(relaunched.child.pid!);
  assert.equal(more.length, 0);
  assert.ok((await environOf(second!)).includes('MALLOC_ARENA_MAX=2'));
  assert.ok((await environOf(second!)).includes('MALLOC_MMAP_THRESHOLD_=1048576'));
  assert.ok(!(await environOf(relaunched.child.pid!)).some((v) => v.startsWith('MALLOC_ARENA_MAX=')));
  // The demo's sky server, started by the second process, has two arenas and its own threshold, not the marker.
  const [server, ...others] = await childrenOf(second!, { servers: true });
  assert.equal(others.length, 0);
  const serverEnv = await environOf(server!);
  assert.ok(serverEnv.includes('MALLOC_ARENA_MAX=2') && serverEnv.includes('MALLOC_MMAP_THRESHOLD_=65536'));
  assert.ok(!serverEnv.some((v) => v.startsWith(`${RELAUNCHED}=`)));
  relaunched.child.kill('SIGTERM');
  assert.equal((await relaunched.child).exitCode, 130);

  const own = slowDemo(join(dir, 'b'), { MALLOC_ARENA_MAX: '4' });
  await own.ready;
  assert.deepEqual(await childrenOf(own.child.pid!), [], 'no second process');
  const [ownServer] = await childrenOf(own.child.pid!, { servers: true });
  const ownServerEnv = await environOf(ownServer!);
  assert.ok(ownServerEnv.includes('MALLOC_ARENA_MAX=4'), 'the user’s value reaches the server');
  assert.ok(ownServerEnv.includes('MALLOC_MMAP_THRESHOLD_=65536'));
  own.child.kill('SIGTERM');
  assert.equal((await own.child).exitCode, 130);
});

test('on a terminal (the dashboard) stardash stays in one process: its first frame does not wait for a second Node', { skip: !linux || tmuxSkip, timeout: 60_000 }, async (t) => {
  const out = join(await tempDir(t), 'out');
  const args = ['demo', '--count', '6', '--bandwidth', '60', '-w', '1', '-o', out].map(shellQuote).join(' ');
  const term = await startTmux(`cd ${shellQuote(repoRoot)} && env -u CI -u MALLOC_ARENA_MAX node bin/stardash.js ${args}; echo EXIT=$? ; sleep 30`, 100, 30);
  t.after(term.kill);
  // Downloads under way: the demo's server has answered, so its process has its name (server-process.ts).
  await term.waitFor('the dashboard, downloading', (text) => text.includes('cpu0') && /\b[1-9]\d* downloading\b/.test(text));
  const pid = await term.childPid('node');
  assert.deepEqual(await childrenOf(pid), [], 'no second process');
  assert.ok(!(await environOf(pid)).some((v) => v.startsWith('MALLOC_ARENA_MAX=')));
  // The demo's sky server is started with glibc's settings all the same (server-child.ts).
  const [server] = await childrenOf(pid, { servers: true });
  const serverEnv = await environOf(server!);
  assert.ok(serverEnv.includes('MALLOC_ARENA_MAX=2') && serverEnv.includes('MALLOC_MMAP_THRESHOLD_=65536'));
});

test('a Ctrl-C, which reaches both processes, stops the run once: the report is written, exit 130', { skip: !linux }, async (t) => {
  const out = join(await tempDir(t), 'out');
  const { child, ready } = slowDemo(out);
  await ready;
  process.kill(-child.pid!, 'SIGINT'); // the whole process group, as the terminal sends it
  const run = await child;
  assert.equal(run.exitCode, 130, String(run.stderr));
  assert.match(String(run.stderr), /Stopping… \(press Ctrl-C again to quit at once\)/);
  assert.doesNotMatch(String(run.stderr), /quit at once; no report/);
  await interruptedReport(t, out);
});

test('two Ctrl-Cs quit at once, as without the second process', { skip: !linux }, async (t) => {
  const out = join(await tempDir(t), 'out');
  const { child, ready } = slowDemo(out);
  await ready;
  const stopping = new Promise((resolve) => child.stderr!.on('data', (chunk: Buffer) => chunk.toString().includes('Stopping…') && resolve(undefined)));
  process.kill(-child.pid!, 'SIGINT');
  // A signal sent while the same one is still pending is lost (POSIX signals do not queue): the second key comes after the first is seen.
  await stopping;
  process.kill(-child.pid!, 'SIGINT');
  const run = await child;
  assert.equal(run.exitCode, 130);
  assert.match(String(run.stderr), /stardash: quit at once; no report was written/);
});

test('SIGTERM to the second process alone stops the run; the first exits with its status', { skip: !linux }, async (t) => {
  const out = join(await tempDir(t), 'out');
  const { child, ready } = slowDemo(out);
  await ready;
  const [second] = await childrenOf(child.pid!);
  process.kill(second!, 'SIGTERM');
  const run = await child;
  assert.equal(run.exitCode, 130, String(run.stderr));
  await interruptedReport(t, out);
});

test('the first process killed outright: the second stops the run cleanly on its own', { skip: !linux }, async (t) => {
  const out = join(await tempDir(t), 'out');
  const { child, ready } = slowDemo(out);
  await ready;
  child.kill('SIGKILL');
  // execa resolves once stdout closes, which the second process holds until it has ended.
  const run = await child;
  assert.equal(run.signal, 'SIGKILL');
  assert.match(String(run.stdout), /"type":"run-finished"/);
  await interruptedReport(t, out);
});

test('the second process killed by a signal: the first dies of the same signal', { skip: !linux }, async (t) => {
  const { child, ready } = slowDemo(join(await tempDir(t), 'out'));
  await ready;
  const [second] = await childrenOf(child.pid!);
  process.kill(second!, 'SIGKILL');
  const run = await child;
  assert.equal(run.signal, 'SIGKILL');
  assert.equal(run.exitCode, undefined);
});
