import { makeFolder } from '../disk-errors.js';
import { lockOut, OutLockedError, type OutLock } from './out-lock.js';
import { EXIT, unusableOut, type CommandIo } from './run.js';

/**
 * Runs a command (`run`, which returns its exit code) holding the lock of its output folder `out`,
 * made first if need be: taken before anything is written there, released however the run ends
 * (proper-lockfile removes it on a process.exit or a fatal signal too). A folder another live run
 * holds is bad configuration: exit 2 at once, with what to do on stderr, and `out` left untouched.
 */
export async function holdingOut(out: string, io: Pick<CommandIo, 'stderr'>, run: () => Promise<number>): Promise<number> {
  let lock: OutLock;
  try {
    await makeFolder(out);
    lock = await lockOut(out, {
      onLost: (error) => io.stderr.write(`stardash: lost the lock on ${out} (${error.message}): another run may be writing there too.\n`),
    });
  } catch (error) {
    io.stderr.write(`stardash: ${error instanceof OutLockedError ? error.message : unusableOut(out, error)}\n`);
    return EXIT.usage;
  }
  try {
    return await run();
  } finally {
    await lock.release();
  }
}
