/**
 * Timed writes for the demo server: a delay before the headers (latency) and a body written in
 * small chunks on a timer (bandwidth). Timers are injected, so tests can run them without waiting.
 */
import type { ServerResponse } from 'node:http';

/** The timers the demo server uses; the default's are unref()'ed, so they never hold the process open. */
export interface DemoTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: DemoTimers = {
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return timer;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/** A throttled body is written one chunk per tick. */
export const THROTTLE_TICK_MS = 50;

/** The bytes written per tick at `kibps` KiB/s (at least 1). */
export function throttleChunkBytes(kibps: number, tickMs: number = THROTTLE_TICK_MS): number {
  return Math.max(1, Math.round((kibps * 1024 * tickMs) / 1000));
}

/** Resolves true after `ms`, or false at once if the response closes first (client gone, server closing). */
export function delay(res: ServerResponse, ms: number, timers: DemoTimers): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!res.destroyed);
  return new Promise((resolve) => {
    const onClose = (): void => {
      timers.clearTimeout(handle);
      resolve(false);
    };
    const handle = timers.setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    res.once('close', onClose);
  });
}

export interface WriteBodyOptions {
  /** Unthrottled when undefined. */
  bandwidthKiBps?: number | undefined;
  timers: DemoTimers;
  /** Called with each chunk's size once it has been handed to the socket. */
  onWritten(bytes: number): void;
}

/**
 * Writes `body` (without ending the response): at once, or one chunk per THROTTLE_TICK_MS. Each
 * chunk waits for the previous one to be flushed, which also respects backpressure. Resolves true
 * when all of it was written, false when the response closed first (the pending timer is cleared).
 */
export function writeBody(res: ServerResponse, body: Uint8Array, options: WriteBodyOptions): Promise<boolean> {
  const { bandwidthKiBps, timers } = options;
  const chunkSize = bandwidthKiBps === undefined ? Math.max(1, body.length) : throttleChunkBytes(bandwidthKiBps);
  return new Promise((resolve) => {
    let offset = 0;
    let timer: unknown;
    let done = false;
    const finish = (ok: boolean): void => {
      if (done) return;
      done = true;
      if (timer !== undefined) timers.clearTimeout(timer);
      res.off('close', onClose);
      resolve(ok);
    };
    const onClose = (): void => finish(false);
    res.once('close', onClose);
    const step = (): void => {
      timer = undefined;
      if (done) return;
      if (offset >= body.length || res.destroyed) return finish(offset >= body.length && !res.destroyed);
      const chunk = body.subarray(offset, offset + chunkSize);
      offset += chunk.length;
      res.write(chunk, (error) => {
        if (error || done) return finish(false);
        options.onWritten(chunk.length);
        if (offset >= body.length) finish(true);
        else if (bandwidthKiBps === undefined) step();
        else timer = timers.setTimeout(step, THROTTLE_TICK_MS);
      });
    };
    step();
  });
}
