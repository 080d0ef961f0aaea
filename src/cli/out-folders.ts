/**
 * The output folder and its processed/ as a run makes them, and taken away again when the run
 * wrote nothing there: a run refused after they were made (the APOD key refused, the API out of
 * reach, the lock not to be had) leaves --out as it was, not an empty processed/.
 */
import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoOf, makeFolder } from '../disk-errors.js';

export interface OutFolders {
  /**
   * Removes processed/ if this run made it, it is empty and nothing new appeared in `out` (names in
   * `ignore` aside: the lock). Called with the lock held, then removeOutIfUnused once it is let go.
   */
  removeProcessedIfUnused(ignore: readonly string[]): Promise<void>;
  /** Removes `out` if this run made it and it is empty (after removeProcessedIfUnused and the lock). */
  removeOutIfUnused(): Promise<void>;
}

/** `mkdir -p out/processed`, noting what was there before (makeFolder's errors). */
export async function makeOutFolders(out: string): Promise<OutFolders> {
  const before = await readdir(out).catch((error: unknown) => {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw error;
  });
  const processed = join(out, 'processed');
  await makeFolder(processed);
  const madeProcessed = before === undefined || !before.includes('processed');
  let processedGone = !madeProcessed;
  return {
    async removeProcessedIfUnused(ignore) {
      if (!madeProcessed) return;
      const now = (await readdir(out).catch(() => [])).filter((name) => !ignore.includes(name) && name !== 'processed');
      const unused = now.length === (before?.length ?? 0) && now.every((name) => before?.includes(name));
      if (!unused) return;
      // rmdir, not rm: processed/ goes only if it is still empty.
      processedGone = await rmdir(processed).then(() => true, () => false);
    },
    async removeOutIfUnused() {
      if (before !== undefined || !processedGone) return;
      await rmdir(out).catch(() => undefined); // not empty: something else uses it now
    },
  };
}
