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
  for (let i = 0; i < waiting.length && total < limits.concurrency; i++) {
    const { host } = waiting[i]!;
    const onHost = perHost.get(host) ?? 0;
    if (onHost >= limits.perHost) continue;
    picked.push(i);
    total++;
    perHost.set(host, onHost + 1);
  }
  return picked;
}

interface Waiter extends Waiting {
  order: number;
  grant: (release: () => void) => void;
}

/**
 * The slots themselves. Waiters queue per host, in order: a dispatch looks at most at the first
 * `perHost` waiters of each host, so that 10,000 queued downloads of one host (an APOD listing, a
 * long URL list) cost no more per grant than ten.
 */
export class Slots {
  readonly #limits: Limits;
  readonly #gate: PauseGate;
  readonly #queues = new Map<string, Waiter[]>();
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
        this.#remove(waiter);
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
      const queue = this.#queues.get(host) ?? [];
      this.#queues.set(host, queue);
      // Orders mostly arrive rising: look from the end for the place.
      let at = queue.length;
      while (at > 0 && queue[at - 1]!.order > order) at--;
      queue.splice(at, 0, waiter);
      this.#dispatch();
    });
  }

  /** Downloads holding a slot now, in total. */
  get running(): number {
    return [...this.#running.values()].reduce((a, b) => a + b, 0);
  }

  #dispatch(): void {
    if (this.#gate.paused || this.running >= this.#limits.concurrency) return;
    // Only the first waiters of each host can start now; in request order, the policy picks among them.
    const candidates: Waiter[] = [];
    for (const [host, queue] of this.#queues) {
      const free = this.#limits.perHost - (this.#running.get(host) ?? 0);
      candidates.push(...queue.slice(0, Math.max(0, free)));
    }
    candidates.sort((a, b) => a.order - b.order);
    for (const i of startable(candidates, this.#running, this.#limits)) {
      const waiter = candidates[i]!;
      this.#remove(waiter);
      this.#running.set(waiter.host, (this.#running.get(waiter.host) ?? 0) + 1);
      waiter.grant(this.#releaser(waiter.host));
    }
  }

  #remove(waiter: Waiter): void {
    const queue = this.#queues.get(waiter.host) ?? [];
    const at = queue.indexOf(waiter);
    if (at !== -1) queue.splice(at, 1);
    if (queue.length === 0) this.#queues.delete(waiter.host);
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
