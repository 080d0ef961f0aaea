/**
 * Small real file systems for disk-failure tests: a tmpfs of a few KiB mounted on a fresh folder
 * (full after a few files), optionally remounted read-only. Mounting needs root or CAP_SYS_ADMIN,
 * as on the CI machine; elsewhere the test is skipped, saying why. chmod is no test here: root
 * writes through it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

/** The part of node:test's TestContext used here. */
export interface DiskTestContext {
  skip(message: string): void;
  after(fn: () => Promise<void>): void;
}

/**
 * A tmpfs of `bytes` (rounded up to whole pages by the kernel) mounted on a new folder, unmounted
 * and removed after the test; undefined when mounting is not permitted (the test is then skipped).
 */
export async function smallDisk(t: DiskTestContext, bytes: number): Promise<string | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'stardash-disk-'));
  const mounted = await execa('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0755`, 'stardash-test', dir], { reject: false });
  if (mounted.exitCode !== 0) {
    await rm(dir, { recursive: true, force: true });
    t.skip(`cannot mount a tmpfs (this test needs root or CAP_SYS_ADMIN): ${(mounted.stderr || mounted.stdout || String(mounted.exitCode)).split('\n')[0]}`);
    return undefined;
  }
  t.after(async () => {
    await execa('umount', ['-l', dir], { reject: false });
    await rm(dir, { recursive: true, force: true });
  });
  return dir;
}

/** Makes the mounted `disk` read-only: writes fail with EROFS, whoever the user is. */
export async function makeReadOnly(disk: string): Promise<void> {
  await execa('mount', ['-o', 'remount,ro', disk]);
}

/** Fills the rest of `disk` with a file named `name`, so that the next write fails with ENOSPC. */
export async function fillDisk(disk: string, name = 'filler'): Promise<void> {
  await writeFile(join(disk, name), Buffer.alloc(64 * 1024 * 1024)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOSPC') throw error;
  });
}
