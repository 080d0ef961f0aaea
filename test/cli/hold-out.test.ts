import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { holdingOut } from '../../src/cli/hold-out.js';
import { LOCK_DIR } from '../../src/cli/out-lock.js';
import type { RunOptions } from '../../src/cli/run.js';
import { tempDir } from '../helpers/fixtures.js';

/** What holdingOut reads of a run's options. */
function opts(out: string): Pick<RunOptions, 'out' | 'detector'> {
  return { out, detector: { name: 'blob', params: {} } };
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
    return 1;
  });
  assert.equal(code, 1);
  assert.equal(existsSync(join(out, LOCK_DIR)), false);
  assert.equal(err.text(), '');
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
