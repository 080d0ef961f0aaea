/**
 * Download slots: at most `concurrency` at once, at most `perHost` per host (host:port), handed out
 * in request order (a retrying download keeps its original place), and none while paused.
 */
import type { PauseGate } from './pause-gate.js';

export interface Limits {
  concurrency: number;
  perHost: number;
}

export interface Waiting {
  host: string;
}

/**
 * Pure policy: the indices of `waiting` (in request order) that may start now, given how many run
 * in total and per host. A waiter whose host is full does not hold back later ones of other hosts.
 */
export function startable(
  waiting: readonly Waiting[],
  running: ReadonlyMap<string, number>,
  limits: Limits,
): number[] {
  let total = [...running.values()].reduce((a, b) => a + b, 0);
  const perHost = new Map(running);
  const picked: number[] = [];
  waiting.forEach((w, i) => {
    const onHost = perHost.get(w.host) ?? 0;
    if (total >= limits.concurrency || onHost >= limits.perHost) return;
    picked.push(i);
    total++;
    perHost.set(w.host, onHost + 1);
  });
  return picked;
}

interface Waiter extends Waiting {
  order: number;
  grant: (release: () => void) => void;
}

export class Slots {
  readonly #limits: Limits;
  readonly #gate: PauseGate;
  #waiting: Waiter[] = [];
  #running = new Map<string, number>();

  constructor(limits: Limits, gate: PauseGate) {
    this.#limits = limits;
    this.#gate = gate;
    gate.subscribe((paused) => {
      if (!paused) this.#dispatch();
    });
  }

  /**
   * Resolves with an idempotent `release` once a slot for `host` is free, in `order` (lower
   * first); rejects with the signal's reason if it aborts while waiting.
   */
  acquire(host: string, order: number, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiting = this.#waiting.filter((w) => w !== waiter);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        host,
        order,
        grant: (release) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const at = this.#waiting.findIndex((w) => w.order > order);
      this.#waiting.splice(at === -1 ? this.#waiting.length : at, 0, waiter);
      this.#dispatch();
    });
  }

  /** Downloads holding a slot now, in total. */
  get running(): number {
    return [...this.#running.values()].reduce((a, b) => a + b, 0);
  }

  #dispatch(): void {
    if (this.#gate.paused) return;
    const picked = new Set(startable(this.#waiting, this.#running, this.#limits));
    if (picked.size === 0) return;
    const granted = this.#waiting.filter((_, i) => picked.has(i));
    this.#waiting = this.#waiting.filter((_, i) => !picked.has(i));
    for (const waiter of granted) {
      this.#running.set(waiter.host, (this.#running.get(waiter.host) ?? 0) + 1);
      waiter.grant(this.#releaser(waiter.host));
    }
  }

  #releaser(host: string): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#running.get(host) ?? 1) - 1;
      if (left > 0) this.#running.set(host, left);
      else this.#running.delete(host);
      this.#dispatch();
    };
  }
}
