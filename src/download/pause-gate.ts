/**
 * A shared pause switch: while closed, downloads wait at `wait()` (before starting, between
 * attempts, before consuming each chunk). Listeners learn of changes so an in-flight request can
 * suspend its idle timeout, since a paused download is idle on purpose.
 */

export type GateListener = (paused: boolean) => void;

export class PauseGate {
  #paused = false;
  #waiters = new Set<() => void>();
  #listeners = new Set<GateListener>();

  get paused(): boolean {
    return this.#paused;
  }

  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    for (const listener of [...this.#listeners]) listener(true);
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    for (const listener of [...this.#listeners]) listener(false);
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves at once when open, else on resume; rejects with the signal's reason when it aborts. */
  wait(signal?: AbortSignal): Promise<void> {
    if (!this.#paused) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiters.delete(wake);
        reject(signal?.reason);
      };
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.#waiters.add(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Calls `listener(paused)` on every change; returns the disposer. */
  subscribe(listener: GateListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
