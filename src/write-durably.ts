import { open, rename, rm } from 'node:fs/promises';

let writes = 0;

/**
 * Replaces the file at `path` with `text` so that it is never seen half-written, even after a
 * crash or power cut: written to a temporary name beside it, synced to disk, then renamed over it.
 */
export async function writeDurably(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${++writes}.tmp`;
  try {
    const file = await open(temp, 'w');
    try {
      await file.writeFile(text, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
