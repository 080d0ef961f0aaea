import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { E_OUT_LOCK_LOST, holdingOut } from '../../src/cli/hold-out.js';
import type { Notice } from '../../src/cli/notices.js';
import { LOCK_DIR } from '../../src/cli/out-lock.js';
import type { RunOptions } from '../../src/cli/run.js';
import { tempDir } from '../helpers/fixtures.js';

/** What holdingOut reads of a run's options. */
function opts(out: string, more: Pick<RunOptions, 'lockRefreshMs'> = {}): Pick<RunOptions, 'out' | 'detector' | 'lockRefreshMs'> {
  return { out, detector: { name: 'blob', params: {} }, ...more };
}

function stderr(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => void (text += chunk.toString()));
  return { stream, text: () => text };
}

test('holdingOut makes --out, holds its lock while the run runs, passes its exit code on and lets go after', async (t) => {
  const out = join(await tempDir(t), 'new', 'out');
  const err = stderr();
  const code = await holdingOut(opts(out), { stderr: err.stream }, async () => {
    assert.equal(existsSync(join(out, LOCK_DIR)), true);
    assert.equal(existsSync(join(out, 'processed')), true);
    await writeFile(join(out, 'report.json'), '{}');
    return 1;
  });
  assert.equal(code, 1);
  assert.equal(existsSync(join(out, LOCK_DIR)), false);
  assert.deepEqual((await readdir(out)).sort(), ['processed', 'report.json']);
  assert.equal(err.text(), '');
});

test('a run that wrote nothing (refused once started: exit 2) leaves --out as it was: not there if it was not', async (t) => {
  const out = join(await tempDir(t), 'out');
  const code = await holdingOut(opts(out), { stderr: stderr().stream }, async () => 2);
  assert.equal(code, 2);
  assert.equal(existsSync(out), false);
});

test('a run that throws lets go of the lock too', async (t) => {
  const out = await tempDir(t);
  await assert.rejects(
    holdingOut(opts(out), { stderr: stderr().stream }, async () => {
      throw new Error('a bug');
    }),
    /a bug/,
  );
  assert.equal(existsSync(join(out, LOCK_DIR)), false);
});

test('a folder another run holds: exit 2 and what to do on stderr; the run is not started', async (t) => {
  const out = await tempDir(t);
  const err = stderr();
  let started = false;
  const code = await holdingOut(opts(out), { stderr: err.stream }, () =>
    holdingOut(opts(out), { stderr: err.stream }, async () => {
      started = true;
      return 0;
    }),
  );
  assert.equal(code, 2);
  assert.equal(started, false);
  assert.equal(err.text(), `stardash: ${out} is in use by another stardash run (pid ${process.pid}): wait for it to end, or give another folder with --out.\n`);
});

test('bad detector parameters are refused before --out is made', async (t) => {
  const out = join(await tempDir(t), 'out');
  await assert.rejects(
    holdingOut({ out, detector: { name: 'blob', params: { nope: 1 } as unknown as RunOptions['detector']['params'] } }, { stderr: stderr().stream }, async () => 0),
    { code: 'E_DETECTOR_PARAMS' },
  );
  assert.equal(existsSync(out), false);
});

test('an --out that cannot be a folder: exit 2, saying why', async (t) => {
  const file = join(await tempDir(t), 'a-file');
  await writeFile(file, '');
  const err = stderr();
  const code = await holdingOut(opts(file), { stderr: err.stream }, async () => 0);
  assert.equal(code, 2);
  assert.equal(err.text(), `stardash: cannot use ${file} as the output folder (ENOTDIR): give a folder that can be created and written with --out.\n`);
});

/** `promise`, with the event loop kept alive meanwhile: proper-lockfile's refresh timer is unref()'ed, and a test holds nothing else. */
async function awake<T>(promise: Promise<T>): Promise<T> {
  const alive = setInterval(() => undefined, 60_000);
  try {
    return await promise;
  } finally {
    clearInterval(alive);
  }
}

/** The message a run gets when its lock folder is removed under it, or changed. */
const lostMessage = (out: string, how = 'was removed'): string =>
  `lost the lock on ${out} (its .stardash.lock ${how}): another run may be writing there too. Make sure one stardash run at a time uses ${out}.`;

test('a lock lost while the run runs (its folder removed): the run is told on its notices, nothing on stderr', { timeout: 15_000 }, async (t) => {
  const out = await tempDir(t);
  const err = stderr();
  let notice: Notice | undefined;
  const code = await holdingOut(opts(out, { lockRefreshMs: 1000 }), { stderr: err.stream }, async (notices) => {
    const told = new Promise<Notice>((resolve) => notices.on(resolve));
    await rm(join(out, LOCK_DIR), { recursive: true });
    // proper-lockfile notices at its next refresh, a second from taking the lock.
    notice = await awake(told);
    return 0;
  });
  assert.equal(code, 0);
  assert.deepEqual(notice, { code: E_OUT_LOCK_LOST, message: lostMessage(out) });
  assert.equal(err.text(), '');
});

test('a lock lost while nothing listens: a line on stderr', { timeout: 15_000 }, async (t) => {
  const out = await tempDir(t);
  const err = stderr();
  const code = await holdingOut(opts(out, { lockRefreshMs: 1000 }), { stderr: err.stream }, async () => {
    await rm(join(out, LOCK_DIR), { recursive: true });
    await awake(new Promise<void>((resolve) => err.stream.once('data', () => resolve())));
    return 0;
  });
  assert.equal(code, 0);
  assert.equal(err.text(), `stardash: ${lostMessage(out)}\n`);
});

test('a lock changed under the run (its mtime set by someone else, as a run taking it over would): the run is told so', { timeout: 15_000 }, async (t) => {
  const out = await tempDir(t);
  let notice: Notice | undefined;
  await holdingOut(opts(out, { lockRefreshMs: 1000 }), { stderr: stderr().stream }, async (notices) => {
    const told = new Promise<Notice>((resolve) => notices.on(resolve));
    await utimes(join(out, LOCK_DIR), new Date(2000, 0, 1), new Date(2000, 0, 1));
    notice = await awake(told);
    return 0;
  });
  assert.deepEqual(notice, { code: E_OUT_LOCK_LOST, message: lostMessage(out, 'was changed by another process') });
});
