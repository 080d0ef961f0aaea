import type * as Threads from 'threads';

let loading: Promise<typeof Threads> | undefined;

/**
 * Imports threads.js without its process-wide signal handlers. On import it installs SIGINT and
 * SIGTERM listeners that terminate every worker and exit with code 0, which would turn a user's
 * Ctrl-C into a "success" and skip stardash's clean stop; stardash stops its workers itself.
 */
export function loadThreads(): Promise<typeof Threads> {
  loading ??= (async () => {
    const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
    const threads = await import('threads');
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const listener of process.listeners(signal)) {
        if (!before[signal].includes(listener)) process.off(signal, listener);
      }
    }
    return threads;
  })();
  return loading;
}
