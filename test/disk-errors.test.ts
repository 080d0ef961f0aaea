import assert from 'node:assert/strict';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { diskProblem, errnoOf, makeFolder } from '../src/disk-errors.js';
import { tempDir } from './helpers/fixtures.js';
import { makeReadOnly, smallDisk } from './helpers/small-disk.js';

test('diskProblem: a full disk or quota is E_DISK_FULL, the rest E_WRITE, each saying what to do', () => {
  assert.deepEqual(diskProblem('ENOSPC', 'x'), { code: 'E_DISK_FULL', reason: 'the disk is full (ENOSPC): free some space, or choose another folder with --out' });
  assert.equal(diskProblem('EDQUOT', 'x').code, 'E_DISK_FULL');
  for (const code of ['EROFS', 'EACCES', 'EPERM', 'ENOTDIR', 'EEXIST', 'EISDIR', 'EMFILE', 'ENFILE', 'EIO']) {
    const problem = diskProblem(code, 'x');
    assert.equal(problem.code, 'E_WRITE', code);
    assert.match(problem.reason, new RegExp(`\\(${code}\\): `), code);
  }
});

test('diskProblem: an unknown errno keeps the error message; no errno, only the message', () => {
  assert.deepEqual(diskProblem('EWEIRD', 'it broke'), { code: 'E_WRITE', reason: 'EWEIRD (it broke)' });
  assert.deepEqual(diskProblem(undefined, 'it broke'), { code: 'E_WRITE', reason: 'it broke' });
});

test('errnoOf: the code of a system error, else the errno that a libvips message names', () => {
  assert.equal(errnoOf(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })), 'ENOSPC');
  assert.equal(errnoOf(new Error('/o/x.png.part: write error\nsystem error: No space left on device\npngsave: stream error')), 'ENOSPC');
  assert.equal(errnoOf(new Error('unable to open for write\nunix error: Read-only file system')), 'EROFS');
  assert.equal(errnoOf(new Error('Input buffer contains unsupported image format')), undefined);
  assert.equal(errnoOf('plain text'), undefined);
});

test('makeFolder makes every missing folder, and is content when they are there', async (t) => {
  const dir = await tempDir(t);
  await makeFolder(join(dir, 'a', 'b', 'c'));
  await makeFolder(join(dir, 'a', 'b', 'c'));
  assert.ok((await stat(join(dir, 'a', 'b', 'c'))).isDirectory());
});

test('makeFolder on a read-only disk fails with EROFS, where a recursive mkdir says ENOENT', async (t) => {
  const disk = await smallDisk(t, 64 * 1024);
  if (disk === undefined) return;
  await makeReadOnly(disk);
  const target = join(disk, 'out', 'processed');
  await assert.rejects(mkdir(target, { recursive: true }), { code: 'ENOENT' }, "Node's own answer");
  await assert.rejects(makeFolder(target), { code: 'EROFS' });
});

test('makeFolder with a file in the way fails naming it', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'file'), '');
  await assert.rejects(makeFolder(join(dir, 'file')), { code: 'EEXIST' });
  await assert.rejects(makeFolder(join(dir, 'file', 'sub')), { code: 'ENOTDIR' });
});
