import { readdir, readlink, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { TaskError } from '../orchestrator/events.js';

/** The extensions a folder is searched for (explicitly named files are always tried). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff', '.gif']);

/** One thing to analyse, or a named path that cannot be, with why. */
export type LocalInput = { kind: 'image'; path: string } | { kind: 'error'; path: string; error: TaskError };

/**
 * Expands files and folders (recursively, in name order) into the images to analyse. A path that
 * does not exist, cannot be read, or is a folder without images becomes an error entry of its own,
 * so that it fails alone and the rest go on.
 */
export async function expandPaths(paths: readonly string[]): Promise<LocalInput[]> {
  const out: LocalInput[] = [];
  for (const path of paths) {
    const found = await expandOne(path);
    if (found.length === 0) {
      out.push({
        kind: 'error',
        path,
        error: {
          code: 'E_NO_IMAGES',
          message: `No images in the folder ${path} (looked for ${[...IMAGE_EXTENSIONS].join(' ')}, in subfolders too).`,
        },
      });
    }
    out.push(...found);
  }
  return out;
}

async function expandOne(path: string): Promise<LocalInput[]> {
  let info;
  try {
    info = await stat(path);
  } catch (cause) {
    return [{ kind: 'error', path, error: unreadable(path, cause, await linkTarget(path)) }];
  }
  if (!info.isDirectory()) return [{ kind: 'image', path }];
  let entries;
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (cause) {
    return [{ kind: 'error', path, error: unreadable(path, cause) }];
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: LocalInput[] = [];
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) out.push(...(await expandOne(child)));
    else if (IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push({ kind: 'image', path: child });
  }
  return out;
}

/** Where `path` points if it is a symbolic link, else undefined. */
async function linkTarget(path: string): Promise<string | undefined> {
  return readlink(path).catch(() => undefined);
}

function unreadable(path: string, cause: unknown, target?: string): TaskError {
  const code = (cause as NodeJS.ErrnoException).code;
  // A dangling link is there when the user lists the folder: say that its target is what is missing.
  const missing = target === undefined ? 'it does not exist' : `it is a broken symbolic link: its target ${target} does not exist`;
  const why =
    code === 'ENOENT' ? missing : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : `${code ?? 'error'}`;
  return { code: 'E_READ', message: `Cannot read ${path}: ${why}.` };
}
