import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import { isZombie, LOCK_DIR, lockOut, OutLockedError, ownerGone, OWNER_FILE, processAlive, type LockOwner } from '../../src/cli/out-lock.js';
import { filesUnder, tempDir } from '../helpers/fixtures.js';

/** The pid of a process that has ended (and been reaped). */
async function deadPid(): Promise<number> {
  const child = execa(process.execPath, ['-e', '']);
  await child;
  return child.pid!;
}

/** A lock as a run would have left it, held by `owner` (or with no owner file). */
async function leftLock(out: string, owner?: LockOwner): Promise<void> {
  await mkdir(join(out, LOCK_DIR), { recursive: true });
  if (owner) await writeFile(join(out, LOCK_DIR, OWNER_FILE), JSON.stringify(owner));
}

test('ownerGone: only a process of this host that is not alive; no owner is not gone', () => {
  const owner = { pid: 42, hostname: 'here', startedAt: '' };
  assert.equal(ownerGone(owner, 'here', () => false), true);
  assert.equal(ownerGone(owner, 'here', () => true), false);
  assert.equal(ownerGone(owner, 'elsewhere', () => false), false);
  assert.equal(ownerGone(undefined, 'here', () => false), false);
});

test('processAlive and isZombie: this process is alive, an ended one is not; a zombie is told by its state', async () => {
  assert.equal(processAlive(process.pid), true);
  assert.equal(processAlive(await deadPid()), false);
  assert.equal(isZombie('123 (node) Z 1 123 123 0'), true);
  assert.equal(isZombie('123 (a ) Z b) S 1 123'), false);
  assert.equal(isZombie('123 (node) S 1 123 123 0'), false);
});

test('a held lock refuses the next taker with the folder and the holder pid, writes nothing, and is free again once released', async (t) => {
  const out = await tempDir(t);
  const held = await lockOut(out);
  const owner = JSON.parse(await readFile(join(out, LOCK_DIR, OWNER_FILE), 'utf8')) as LockOwner;
  assert.deepEqual([owner.pid, owner.hostname], [process.pid, hostname()]);
  const files = await filesUnder(out);
  const refused = await lockOut(out, { pid: 99 }).then(
    () => assert.fail('the second lock was granted'),
    (error: unknown) => error,
  );
  assert.ok(refused instanceof OutLockedError);
  assert.equal(refused.code, 'E_OUT_LOCKED');
  assert.equal(refused.pid, process.pid);
  assert.equal(refused.message, `${out} is in use by another stardash run (pid ${process.pid}): wait for it to end, or give another folder with --out.`);
  assert.deepEqual(await filesUnder(out), files);
  await held.release();
  await held.release(); // twice is harmless
  assert.deepEqual(await filesUnder(out), []);
  const again = await lockOut(out);
  await again.release();
});

test('a lock whose owner has died on this host is taken over at once', async (t) => {
  const out = await tempDir(t);
  await leftLock(out, { pid: await deadPid(), hostname: hostname(), startedAt: '2026-01-01T00:00:00.000Z' });
  const lock = await lockOut(out);
  const owner = JSON.parse(await readFile(join(out, LOCK_DIR, OWNER_FILE), 'utf8')) as LockOwner;
  assert.equal(owner.pid, process.pid);
  await lock.release();
});

test('a fresh lock of another host, or without an owner file, is not taken over', async (t) => {
  const out = await tempDir(t);
  await leftLock(out, { pid: await deadPid(), hostname: `not-${hostname()}`, startedAt: '' });
  const other = await lockOut(out).catch((error: unknown) => error);
  assert.ok(other instanceof OutLockedError, String(other));
  const bare = await tempDir(t);
  await leftLock(bare);
  const unknown = await lockOut(bare).catch((error: unknown) => error);
  assert.ok(unknown instanceof OutLockedError, String(unknown));
  assert.equal(unknown.pid, undefined);
  assert.equal(unknown.message, `${bare} is in use by another stardash run: wait for it to end, or give another folder with --out.`);
});
