import { join } from 'node:path';
import { createDetector } from '../analysis/detectors.js';
import { errnoOf, makeFolder, noRoomMessage } from '../disk-errors.js';
import { LOCK_DIR, lockOut, OutLockedError, type OutLock } from './out-lock.js';
import { EXIT, unusableOut, type CommandIo, type RunOptions } from './run.js';

/**
 * Runs a command (`run`, which returns its exit code) holding the lock of its output folder: taken
 * before anything is written there, released however the run ends (proper-lockfile also removes it
 * on process.exit and on a fatal signal). A folder another live run holds is bad configuration:
 * exit 2 at once, with what to do on stderr, and the folder left as it was. Bad detector parameters
 * are refused first (they throw, as createDetector does), so that they leave no folder behind.
 */
export async function holdingOut(options: Pick<RunOptions, 'out' | 'detector'>, io: Pick<CommandIo, 'stderr'>, run: () => Promise<number>): Promise<number> {
  const { out } = options;
  createDetector(options.detector);
  let lock: OutLock;
  try {
    // processed/ as executeRun makes it, for the same errors (a file as --out: ENOTDIR). A run that
    // holds the folder has made it already, or is about to: a refused run changes nothing there.
    await makeFolder(join(out, 'processed'));
  } catch (error) {
    io.stderr.write(`stardash: ${unusableOut(out, error)}\n`);
    return EXIT.usage;
  }
  try {
    lock = await lockOut(out, {
      onLost: (error) => io.stderr.write(`stardash: lost the lock on ${out} (${error.message}): another run may be writing there too.\n`),
    });
  } catch (error) {
    const message = error instanceof OutLockedError ? error.message : (noRoomMessage(LOCK_DIR, out, errnoOf(error)) ?? unusableOut(out, error));
    io.stderr.write(`stardash: ${message}\n`);
    return EXIT.usage;
  }
  try {
    return await run();
  } finally {
    await lock.release();
  }
}
