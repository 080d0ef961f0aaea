import { createRequire } from 'node:module';
import type * as Threads from 'threads';

const require = createRequire(import.meta.url);
let loaded: typeof Threads | undefined;

/**
 * threads.js without its process-wide signal handlers. On import it installs SIGINT and SIGTERM
 * listeners that terminate every worker and exit with code 0, which would turn a user's Ctrl-C
 * into a "success" and skip stardash's clean stop; stardash stops its workers itself. It is loaded
 * with a synchronous require so that only its own listeners appear between the two looks: an
 * asynchronous import would let the caller's listeners, added meanwhile, be taken for its.
 */
export function loadThreads(): typeof Threads {
  if (loaded) return loaded;
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  loaded = require('threads') as typeof Threads;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) {
      if (!before[signal].includes(listener)) process.off(signal, listener);
    }
  }
  return loaded;
}
