/**
 * What a file-system error code means for a person saving files, and what to do about it, so that
 * the downloader, the report and the CLI say the same thing about a full or read-only disk. Pure,
 * but for makeFolder, which finds the errno that Node's recursive mkdir hides.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export interface DiskProblem {
  /** E_DISK_FULL when space (or quota) ran out, E_WRITE for every other failure to write. */
  code: 'E_DISK_FULL' | 'E_WRITE';
  /** Lower-case, naming the errno and what to do: "the disk is full (ENOSPC): free some space, …". */
  reason: string;
}

const REASONS: Readonly<Record<string, DiskProblem>> = {
  ENOSPC: { code: 'E_DISK_FULL', reason: 'the disk is full (ENOSPC): free some space, or choose another folder with --out' },
  EDQUOT: { code: 'E_DISK_FULL', reason: 'the disk quota is used up (EDQUOT): free some space, or choose another folder with --out' },
  EROFS: { code: 'E_WRITE', reason: 'the file system is read-only (EROFS): choose another folder with --out' },
  EACCES: { code: 'E_WRITE', reason: 'permission denied (EACCES): choose a folder you can write to with --out' },
  EPERM: { code: 'E_WRITE', reason: 'operation not permitted (EPERM): choose a folder you can write to with --out' },
  ENOTDIR: { code: 'E_WRITE', reason: 'a file is where a folder should be (ENOTDIR): move it, or choose another folder with --out' },
  EEXIST: { code: 'E_WRITE', reason: 'a file is where a folder should be (EEXIST): move it, or choose another folder with --out' },
  EISDIR: { code: 'E_WRITE', reason: 'a folder is where the file should be (EISDIR): move it, or choose another folder with --out' },
  EMFILE: { code: 'E_WRITE', reason: 'too many open files (EMFILE): lower --concurrency, or raise the limit (ulimit -n)' },
  ENFILE: { code: 'E_WRITE', reason: 'too many open files on the system (ENFILE): lower --concurrency' },
  EIO: { code: 'E_WRITE', reason: 'the disk reported an input/output error (EIO): check the disk' },
};

/** The problem behind errno `code` (ENOSPC, EROFS, …); `detail` (the error's message) stands in for unknown codes. */
export function diskProblem(code: string | undefined, detail: string): DiskProblem {
  const known = code === undefined ? undefined : REASONS[code];
  return known ?? { code: 'E_WRITE', reason: code === undefined ? detail : `${code} (${detail})` };
}

/**
 * What to say when `what` cannot be written in output folder `out` because its disk is full or
 * read-only ("cannot write run.jsonl in out: the disk is full (ENOSPC): …"); undefined for other errors.
 */
export function noRoomMessage(what: string, out: string, code: string | undefined): string | undefined {
  if (code !== 'ENOSPC' && code !== 'EROFS' && code !== 'EDQUOT') return undefined;
  return `cannot write ${what} in ${out}: ${diskProblem(code, '').reason}.`;
}

/** The C library's words for the errnos above, as libvips (sharp) reports them: "system error: No space left on device". */
const STRERROR: ReadonlyArray<[RegExp, string]> = [
  [/No space left on device/i, 'ENOSPC'],
  [/Disk quota exceeded/i, 'EDQUOT'],
  [/Read-only file system/i, 'EROFS'],
  [/Permission denied/i, 'EACCES'],
  [/Operation not permitted/i, 'EPERM'],
  [/Not a directory/i, 'ENOTDIR'],
  [/Is a directory/i, 'EISDIR'],
  [/Too many open files/i, 'EMFILE'],
  [/Input\/output error/i, 'EIO'],
];

/** The errno of a failed write: its `code`, or for errors without one (sharp's) the one its message names. */
export function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const message = error instanceof Error ? error.message : String(error);
  return STRERROR.find(([words]) => words.test(message))?.[1];
}

/**
 * `mkdir -p path`, failing with the real errno: Node's recursive mkdir says ENOENT whatever stopped
 * it (a read-only disk, a denied permission), so then the first missing folder is made alone to
 * learn why.
 */
export async function makeFolder(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
    let missing = resolve(path);
    while (dirname(missing) !== missing && !(await exists(dirname(missing)))) missing = dirname(missing);
    await mkdir(missing);
    throw error; // made after all (a race): the original failure stands
  }
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
