/**
 * The demo server in a process of its own (`stardash demo`'s): the same answers as in-process, the
 * socket open before that process starts, and a process that ends with its parent, however that ends.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import { demoImagePath, demoListing, DemoOptionsError, skyPlan, startDemoServer, startDemoServerProcess } from '../../../src/sources/demo/index.js';
import { SIGNAL_GRACE_MS } from '../../../src/sources/demo/server-child.js';
import { processAlive } from '../../../src/cli/out-lock.js';
import { BIN } from '../../helpers/cli.js';
import { repoRoot, tempDir } from '../../helpers/fixtures.js';

const linux = process.platform === 'linux';

/** The processes `pid` started (Linux: its threads' children). */
async function childrenOf(pid: number): Promise<number[]> {
  const { readdir } = await import('node:fs/promises');
  const tasks = await readdir(`/proc/${pid}/task`);
  const lists = await Promise.all(tasks.map((task) => readFile(`/proc/${pid}/task/${task}/children`, 'utf8')));
  return lists.join(' ').split(' ').filter(Boolean).map(Number);
}

const bytes = async (url: string): Promise<Buffer> => {
  const response = await fetch(url);
  assert.equal(response.status, 200, url);
  return Buffer.from(await response.arrayBuffer());
};

test('a server process answers as the server in this process does, and is gone once closed', async (t) => {
  const apart = await startDemoServerProcess({ seed: 3, count: 8 });
  const here = await startDemoServer({ seed: 3, count: 8 });
  t.after(() => Promise.all([apart.close(), here.close()]));
  assert.match(apart.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(apart.apiUrl, `${apart.url}/planetary/apod`);
  assert.deepEqual([apart.seed, apart.count, apart.apiKey], [3, 8, 'DEMO_KEY']);
  await apart.ready;
  const path = demoImagePath(skyPlan(3, 2));
  assert.deepEqual(await bytes(`${apart.url}${path}`), await bytes(`${here.url}${path}`));
  const listed = (await demoListing(apart)).images.map((i) => [i.id, i.url.replace(apart.url, '')]);
  assert.deepEqual(listed, (await demoListing(here)).images.map((i) => [i.id, i.url.replace(here.url, '')]));
  assert.equal(listed.length, 8);
  if (linux) assert.ok((await childrenOf(process.pid)).includes(apart.pid), 'a process of its own, started by this one');
  await apart.close();
  if (linux) assert.equal(processAlive(apart.pid), false);
  await assert.rejects(fetch(apart.url), /fetch failed/);
});

test('options out of range: the same DemoOptionsError as in this process, and no process started', async () => {
  const before = linux ? await childrenOf(process.pid) : [];
  await assert.rejects(startDemoServerProcess({ count: 0 }), (error: unknown) => error instanceof DemoOptionsError && error.message === 'The demo\'s count must be a whole number from 1 to 100000, but received 0.');
  await assert.rejects(startDemoServerProcess({ bandwidthKiBps: -1 }), DemoOptionsError);
  if (linux) assert.deepEqual(await childrenOf(process.pid), before);
});

test('a Ctrl-C reaching the server process (the terminal signals the whole group) leaves it serving while its parent stops; alone, it ends after the grace', { timeout: 30_000 }, async (t) => {
  const server = await startDemoServerProcess({ count: 4 });
  t.after(() => server.close());
  await server.ready;
  const signalled = performance.now();
  process.kill(server.pid, 'SIGINT');
  process.kill(server.pid, 'SIGTERM');
  assert.equal((await fetch(`${server.apiUrl}?api_key=DEMO_KEY`)).status, 200);
  await server.exited;
  // Timers may fire a little early by this process's clock; never half a second early.
  assert.ok(performance.now() - signalled > SIGNAL_GRACE_MS - 500, `ended ${performance.now() - signalled} ms after the signals`);
  await assert.rejects(fetch(server.url), /fetch failed/);
});

test('its parent killed outright: the server process ends too', { skip: !linux, timeout: 30_000 }, async (t) => {
  const out = await tempDir(t);
  const script = join(out, 'parent.mjs');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(
    script,
    `import { startDemoServerProcess } from ${JSON.stringify(join(repoRoot, 'dist/src/sources/demo/index.js'))};\n` +
      'const server = await startDemoServerProcess();\nawait server.ready;\nconsole.log(server.pid);\nsetInterval(() => {}, 1000);\n',
  );
  const parent = execa(process.execPath, [script], { reject: false });
  const pid = await new Promise<number>((resolve) => parent.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString()))));
  assert.equal(processAlive(pid), true);
  parent.kill('SIGKILL');
  // execa settles once stderr closes, and the server process holds it until it has ended.
  const ended = await parent;
  assert.equal(ended.signal, 'SIGKILL');
  assert.equal(processAlive(pid), false);
});

test('stardash demo serves its skies from a process of its own, named so in ps, which ends with the run', { skip: !linux }, async (t) => {
  const out = join(await tempDir(t), 'out');
  // MALLOC_ARENA_MAX set: stardash runs in the process started here (bin/stardash.js starts no second one).
  const run = execa(process.execPath, [BIN, 'demo', '--count', '4', '--bandwidth', '200', '--json', '-w', '1', '-o', out], {
    cwd: repoRoot,
    reject: false,
    env: { MALLOC_ARENA_MAX: '2' },
  });
  const names = await new Promise<string[]>((resolve, reject) => {
    run.stdout!.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('"type":"download-started"')) return;
      childrenOf(run.pid!)
        .then((pids) => Promise.all(pids.map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8'))))
        .then((lines) => resolve(lines.map((line) => line.replace(/\0+$/, ''))), reject);
    });
  });
  assert.deepEqual(names, ['stardash demo server']);
  const ended = await run;
  assert.equal(ended.exitCode, 0, ended.stderr);
});
