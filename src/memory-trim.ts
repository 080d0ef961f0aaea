/**
 * Gives the memory that glibc's allocator holds free back to the system, every few seconds of a run.
 *
 * Why: a run allocates and frees buffers of 1 to 70 MiB (decoded images, their gray copies, the
 * annotated images) from several threads (the analysis workers, libuv's and libvips' pools). glibc
 * keeps what is freed in its arenas, and the holes between live blocks stay resident: in the
 * soak's long runs what glibc had allocated stayed flat while the memory it held free grew, and
 * one malloc_trim(0) gave back hundreds of MiB at once (README, "Soak"). malloc_trim returns the
 * free pages of every arena, whichever thread made them. It is called through koffi (a
 * foreign-function library with prebuilt binaries, so nothing is compiled at install). Where there
 * is no glibc (macOS, Windows, musl) this does nothing.
 */

/** Returns free memory to the system; resolves 1 when some was released, 0 when none could be. */
export type Trim = () => Promise<number>;

/**
 * How often a run trims. The arenas fill again within seconds (a run frees hundreds of MiB a
 * second), so the trim is frequent; it takes 10 to 20 ms per 200 MiB it gives back (most of it
 * in madvise), on one of libuv's threads, so the dashboard never waits for it.
 */
export const TRIM_INTERVAL_MS = 2000;

export interface TrimOptions {
  /** @default TRIM_INTERVAL_MS */
  intervalMs?: number;
  /** Finds malloc_trim; undefined where there is none. @default loadMallocTrim */
  load?: () => Promise<Trim | undefined>;
  /** @default globalThis.setInterval */
  setInterval?: (callback: () => void, ms: number) => { unref(): unknown };
  /** @default globalThis.clearInterval */
  clearInterval?: (timer: { unref(): unknown }) => void;
}

/**
 * Trims every `intervalMs` on an unref'ed timer; returns the disposer that stops it. malloc_trim
 * is looked up at the first tick, so loading koffi (~50 ms) never delays the first frame, and a
 * run shorter than one interval never loads it.
 */
export function trimMemoryPeriodically(options: TrimOptions = {}): () => void {
  const { intervalMs = TRIM_INTERVAL_MS, load = loadMallocTrim } = options;
  const every = options.setInterval ?? ((callback, ms) => setInterval(callback, ms));
  const clear = options.clearInterval ?? ((timer) => clearInterval(timer as NodeJS.Timeout));
  let trim: Trim | 'none' | undefined;
  let busy = false;
  let disposed = false;
  const tick = async (): Promise<void> => {
    trim ??= (await load()) ?? 'none';
    if (trim === 'none') clear(timer);
    else if (!disposed) await trim();
  };
  const timer = every(() => {
    // A trim still running (a slow madvise under memory pressure, say) is not queued behind.
    if (busy) return;
    busy = true;
    void tick().finally(() => (busy = false));
  }, intervalMs);
  timer.unref();
  return () => {
    disposed = true;
    clear(timer);
  };
}

/** glibc's malloc_trim(0), or undefined where it cannot be had (not Linux, not glibc, no koffi). */
export async function loadMallocTrim(): Promise<Trim | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    const { default: koffi } = await import('koffi');
    // musl and other C libraries have no libc.so.6: load throws and there is nothing to trim.
    const libc = koffi.load('libc.so.6');
    const mallocTrim = libc.func('int malloc_trim(size_t pad)');
    return () =>
      new Promise<number>((resolve) => {
        // On libuv's thread pool: a trim must not hold up the event loop. It cannot fail; an
        // error from koffi itself counts as nothing released.
        mallocTrim.async(0, (error: unknown, released: number) => resolve(error ? 0 : released));
      });
  } catch {
    return undefined;
  }
}
