import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diskProblem, errnoOf } from '../src/disk-errors.js';

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
