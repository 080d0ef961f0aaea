import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createDetector } from '../analysis/detectors.js';
import { errnoOf, noRoomMessage } from '../disk-errors.js';
import { noticeChannel, noticeLine, type Notice, type NoticeSource } from './notices.js';
import { makeOutFolders, type OutFolders } from './out-folders.js';
import { LOCK_DIR, lockOut, OutLockedError, type OutLock } from './out-lock.js';
import { EXIT } from './exit-codes.js';
import { unusableOut, type CommandIo, type RunOptions } from './run.js';

/** The code of the notice a run gets when its --out lock is lost (see lostLockNotice). */
export const E_OUT_LOCK_LOST = 'E_OUT_LOCK_LOST';

/**
 * What a run whose lock was lost is told: its folder `removed`, or else changed under it (taken
 * over as stale by another run while this one was suspended, or touched by someone else).
 */
export function lostLockNotice(out: string, removed: boolean): Notice {
  const how = removed ? 'was removed' : 'was changed by another process';
  return {
    code: E_OUT_LOCK_LOST,
    message: `lost the lock on ${out} (its ${LOCK_DIR} ${how}): another run may be writing there too. Make sure one stardash run at a time uses ${out}.`,
  };
}

/**
 * Runs a command (`run`, which returns its exit code) holding the lock of its output folder: taken
 * before anything is written there, released however the run ends (proper-lockfile also removes it
 * on process.exit and on a fatal signal). A folder another live run holds is bad configuration:
 * exit 2 at once, with what to do on stderr, and the folder left as it was. Bad detector parameters
 * are refused first (they throw, as createDetector does), so that they leave no folder behind, and
 * a run that writes nothing in the folder (refused once started) leaves it as it was (out-folders.ts).
 * A lost lock reaches the run as a notice on `notices` (to show its own way: the dashboard in its
 * frame), or stderr while the run does not listen.
 */
export async function holdingOut(
  options: Pick<RunOptions, 'out' | 'detector' | 'lockRefreshMs'>,
  io: Pick<CommandIo, 'stderr'>,
  run: (notices: NoticeSource) => Promise<number>,
): Promise<number> {
  const { out } = options;
  createDetector(options.detector);
  const notices = noticeChannel((notice) => io.stderr.write(noticeLine(notice)));
  let folders: OutFolders;
  let lock: OutLock;
  try {
    // processed/ as executeRun makes it, for the same errors (a file as --out: ENOTDIR). A run that
    // holds the folder has made it already, or is about to: a refused run changes nothing there.
    folders = await makeOutFolders(out);
  } catch (error) {
    io.stderr.write(`stardash: ${unusableOut(out, error)}\n`);
    return EXIT.usage;
  }
  try {
    lock = await lockOut(out, {
      // proper-lockfile's words for it ("ENOENT: … stat", "Unable to update lock within the stale threshold") say less than a look.
      onLost: () => notices.emit(lostLockNotice(out, !existsSync(join(out, LOCK_DIR)))),
      ...(options.lockRefreshMs === undefined ? {} : { refreshMs: options.lockRefreshMs }),
    });
  } catch (error) {
    const message = error instanceof OutLockedError ? error.message : (noRoomMessage(LOCK_DIR, out, errnoOf(error)) ?? unusableOut(out, error));
    io.stderr.write(`stardash: ${message}\n`);
    await folders.removeProcessedIfUnused([LOCK_DIR]);
    await folders.removeOutIfUnused();
    return EXIT.usage;
  }
  try {
    return await run(notices.source);
  } finally {
    // A run refused after the folders were made (the APOD key, say) leaves --out as it was.
    await folders.removeProcessedIfUnused([LOCK_DIR]);
    await lock.release();
    await folders.removeOutIfUnused();
  }
}
