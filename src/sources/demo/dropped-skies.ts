/**
 * Every demo sky's encoded bytes (0.1 to 4 MiB, outside V8's heap) pass through both of the demo
 * server's threads: the render worker drops its copy once it has handed it over, the server's
 * thread drops its own once the sky leaves the cache of recent skies. Nothing prompted V8 to
 * collect them, and they piled up by 40 to 60 MiB before something else did: the server's memory
 * rose and fell by that much every 15 to 30 s, which no slope over a 2,000-image soak could see
 * past (README, "Soak"). Each thread counts the bytes of the skies it makes or receives (in time
 * it drops as many) and collects once they reach a limit: a few ms every few dozen skies, where a
 * collection after every sky cost the server a third more CPU time.
 */

/** How many bytes of skies a demo server thread goes through between two collections. */
export const DROPPED_SKIES_LIMIT = 16 * 1024 * 1024;

export interface CollectorOptions {
  /** @default DROPPED_SKIES_LIMIT */
  limit?: number;
  /** V8's full collection: the server process starts with `--expose-gc` (server-child.ts). @default globalThis.gc */
  gc?: () => void;
}

/**
 * A function to call with the size of each sky a thread makes or receives: it collects when they
 * add up to `limit` and says whether it did. Without `gc` (a server in a process not started with
 * --expose-gc, as in tests) it never does.
 */
export function droppedSkiesCollector(options: CollectorOptions = {}): (bytes: number) => boolean {
  const { limit = DROPPED_SKIES_LIMIT, gc = (globalThis as { gc?: () => void }).gc } = options;
  let passed = 0;
  return (bytes) => {
    passed += bytes;
    if (!gc || passed < limit) return false;
    gc();
    passed = 0;
    return true;
  };
}
