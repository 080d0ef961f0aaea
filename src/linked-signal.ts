import { setMaxListeners } from 'node:events';

/**
 * A signal that aborts when any of `sources` does, for one request or download. Unlike AbortSignal.any, it is
 * let go of once disposed: Node keeps a signal made by AbortSignal.any alive, with whatever listens
 * to it (the whole got request), for as long as its sources live, and the run's signal lives for
 * the whole run, so every download of a long run was kept. Disposed, it also no longer aborts:
 * got keeps listening to its signal after a request has finished, and aborting a finished request
 * makes it emit an error that no one listens to any more (an uncaught exception at Ctrl-C).
 */
export function linkedSignal(sources: readonly (AbortSignal | undefined)[]): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const live = sources.filter((source): source is AbortSignal => source !== undefined);
  const aborted = live.find((source) => source.aborted);
  if (aborted) {
    controller.abort(aborted.reason);
    return { signal: controller.signal, dispose: () => {} };
  }
  const onAbort = (event: Event): void => {
    dispose();
    controller.abort((event.target as AbortSignal).reason);
  };
  const dispose = (): void => {
    for (const source of live) source.removeEventListener('abort', onAbort);
  };
  // One listener per download in flight or waiting for a slot, each removed when it ends: more than
  // EventTarget's warning threshold (10) is expected, not a leak.
  setMaxListeners(0, ...live);
  for (const source of live) source.addEventListener('abort', onAbort);
  return { signal: controller.signal, dispose };
}
