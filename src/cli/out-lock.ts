/**
 * One run at a time per output folder. Two runs writing the same --out would interleave and lose
 * lines (one compacts downloads/manifest.jsonl while the other appends; run.jsonl and the report
 * are rewritten), so a run holds `--out/.stardash.lock` from before it writes anything until it ends.
 *
 * proper-lockfile makes the lock (an atomic mkdir, its mtime kept fresh, removed on every exit
 * through signal-exit: a normal end, process.exit, a fatal signal). A run killed outright (kill -9,
 * power loss) leaves it behind: the `owner.json` written inside names the process that holds it,
 * and a lock whose owner is no longer alive on this host is taken over at once; any other left
 * behind goes stale, as proper-lockfile judges it, once its mtime is older than STALE_MS.
 */
import * as fs from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { writeDurably } from '../write-durably.js';

/** The lock, a folder in --out (hidden: it is not an output). */
export const LOCK_DIR = '.stardash.lock';
/** Inside the lock: who holds it. */
export const OWNER_FILE = 'owner.json';
/**
 * A lock whose mtime has not been refreshed for this long is stale (its owner is gone, on another
 * host, or its pid was reused). Generous, so that a busy or suspended run does not lose its lock.
 */
export const STALE_MS = 30_000;

/** Who holds a lock: written in OWNER_FILE. */
export interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

export class OutLockedError extends Error {
  readonly code = 'E_OUT_LOCKED';
  constructor(
    readonly out: string,
    /** The holder's pid, or undefined when its owner file cannot be read. */
    readonly pid: number | undefined,
    options?: ErrorOptions,
  ) {
    super(lockedMessage(out, pid), options);
    this.name = 'OutLockedError';
  }
}

/** What a run refused on a busy folder says: the folder, the other run's pid, what to do. */
export function lockedMessage(out: string, pid: number | undefined): string {
  const who = pid === undefined ? 'another stardash run' : `another stardash run (pid ${pid})`;
  return `${out} is in use by ${who}: wait for it to end, or give another folder with --out.`;
}

/**
 * Whether the run that wrote `owner` is gone: only a process of this host can be asked, and one
 * that cannot be asked (another user's: EPERM) is alive.
 */
export function ownerGone(owner: LockOwner | undefined, host: string, isAlive: (pid: number) => boolean): boolean {
  return owner !== undefined && owner.hostname === host && !isAlive(owner.pid);
}

/**
 * Whether process `pid` is alive. Signal 0 asks without sending anything; a zombie (dead, not yet
 * reaped: a run killed with its parent, until init collects it) still answers it, so on Linux its
 * state in /proc is read too.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !isZombie(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (macOS): signal 0 is all there is
  }
}

/** Whether a /proc/PID/stat line (`pid (name) state …`; the name may hold parentheses) is a zombie's. */
export function isZombie(stat: string): boolean {
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
}

export interface OutLockOptions {
  /** @default process.pid */
  pid?: number;
  /** @default os.hostname() */
  hostname?: string;
  /** @default processAlive */
  isAlive?: (pid: number) => boolean;
  /** The lock was lost while held (its folder removed, or taken as stale): the run is no longer alone. */
  onLost?: (error: Error) => void;
  /**
   * How often the lock's mtime is refreshed, which is also when a lost lock is noticed
   * (proper-lockfile's `update`; at least 1000, at most STALE_MS / 2).
   * @default STALE_MS / 2
   */
  refreshMs?: number;
}

export interface OutLock {
  /** Removes the lock; safe to call twice. */
  release(): Promise<void>;
}

/**
 * The lock's fs: node's, except that the lock is made with its owner file in it, before
 * proper-lockfile sets the mtime it then checks, and is removed with it (proper-lockfile removes its
 * lock with rmdir, also synchronously when the process exits).
 */
function lockFs(owner: LockOwner): object {
  // Renamed into place, so that a reader never sees half of it.
  const writeOwner = (lockPath: string): Promise<void> => writeDurably(join(lockPath, OWNER_FILE), `${JSON.stringify(owner)}\n`);
  return {
    ...fs,
    mkdir: (path: string, callback: (error: NodeJS.ErrnoException | null) => void) =>
      fs.mkdir(path, (error) => {
        if (error) return callback(error);
        writeOwner(path).then(
          () => callback(null),
          (cause: NodeJS.ErrnoException) => fs.rm(path, { recursive: true, force: true }, () => callback(cause)),
        );
      }),
    rmdir: (path: string, callback: (error: NodeJS.ErrnoException | null) => void) => fs.rm(path, { recursive: true, force: true }, callback),
    rmdirSync: (path: string) => fs.rmSync(path, { recursive: true, force: true }),
  };
}

/**
 * Takes the lock of output folder `out` (which must exist), taking over one left by a run that is
 * gone; throws OutLockedError when a live run holds it. Nothing in `out` is written then.
 */
export async function lockOut(out: string, options: OutLockOptions = {}): Promise<OutLock> {
  const host = options.hostname ?? osHostname();
  const owner: LockOwner = { pid: options.pid ?? process.pid, hostname: host, startedAt: new Date().toISOString() };
  const lockPath = join(out, LOCK_DIR);
  const attempt = (): Promise<() => Promise<void>> =>
    lockfile.lock(out, {
      lockfilePath: lockPath,
      realpath: false,
      stale: STALE_MS,
      ...(options.refreshMs === undefined ? {} : { update: options.refreshMs }),
      fs: lockFs(owner),
      onCompromised: (error) => options.onLost?.(error),
    });
  let release: (() => Promise<void>) | undefined;
  // A second try after the holder was found gone (or let go while it was being looked at).
  for (let tries = 2; release === undefined; tries--) {
    try {
      release = await attempt();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const holder = await readOwner(lockPath);
      if (tries === 1 || (holder !== 'released' && !ownerGone(holder, host, options.isAlive ?? processAlive))) {
        throw new OutLockedError(out, holder === 'released' ? undefined : holder?.pid, { cause: error });
      }
      if (holder !== 'released') await rm(lockPath, { recursive: true, force: true });
    }
  }
  const held = release;
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await held().catch((error: NodeJS.ErrnoException) => {
        // Already lost (onLost said so): nothing of ours is left to remove.
        if (error.code !== 'ERELEASED' && error.code !== 'ENOTACQUIRED') throw error;
      });
    },
  };
}

/**
 * The owner of the lock at `lockPath`, or 'released' when the lock is no longer there. Undefined
 * when it has none (its holder died between making it and writing the file, or is not this
 * version of stardash): then only staleness frees the lock.
 */
async function readOwner(lockPath: string): Promise<LockOwner | 'released' | undefined> {
  try {
    return parseOwner(await readFile(join(lockPath, OWNER_FILE), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
    return fs.existsSync(lockPath) ? undefined : 'released';
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (!Number.isInteger(value.pid) || typeof value.hostname !== 'string') return undefined;
    return { pid: value.pid!, hostname: value.hostname, startedAt: String(value.startedAt ?? '') };
  } catch {
    return undefined;
  }
}
