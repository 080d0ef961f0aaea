import { availableParallelism } from 'node:os';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker as NodeWorker } from 'node:worker_threads';
import type { FunctionThread, ModuleThread, Pool as ThreadsPool } from 'threads';
import type { AnalysisJob, AnalysisOutcome } from './analyze-image.js';
import { ANALYSIS_WORKER } from '../worker-scripts.js';
import { loadThreads } from './threads.js';
import type { AnalysisWorkerApi } from './worker.js';

/** What the pool tells its watchers: which worker is busy with which image. */
export type PoolEvent =
  | { type: 'worker-busy'; worker: number; jobId: string }
  | { type: 'worker-idle'; worker: number }
  | { type: 'worker-replaced'; worker: number; reason: 'crashed' | 'timed-out' };

export interface AnalysisPoolOptions {
  /** Worker threads. @default os.availableParallelism() */
  size?: number;
  /** A job that runs longer fails with E_ANALYSIS_TIMEOUT and its worker is replaced. @default 120000 */
  timeoutMs?: number;
  /** The worker script (tests inject misbehaving ones). @default ANALYSIS_WORKER, the compiled src/analysis/worker.ts */
  workerScript?: string;
  /** Starts the per-job timeout; returns its cancel. @default an unref()ed setTimeout */
  startTimer?: (onTimeout: () => void, ms: number) => () => void;
}

function defaultTimer(onTimeout: () => void, ms: number): () => void {
  const timer = setTimeout(onTimeout, ms);
  timer.unref();
  return () => clearTimeout(timer);
}

type WorkerThread = ModuleThread<AnalysisWorkerApi> & FunctionThread;

const HERE = dirname(fileURLToPath(import.meta.url));
const SLOT = Symbol('stardash.slot');

/**
 * A threads.js Pool whose workers can be replaced. threads.js never replaces a worker that died,
 * and a dead worker's calls never settle; so each pool member is a proxy in front of a slot that
 * watches its thread, fails the job of a worker that exits or overruns the timeout, and spawns a
 * fresh thread in its place. A job's own errors come back as `{ok: false}` from the worker.
 */
export class AnalysisPool {
  private readonly listeners = new Set<(event: PoolEvent) => void>();
  private readonly slots: WorkerSlot[];
  private pool: ThreadsPool<WorkerThread> | undefined;
  private closed = false;

  /** Set once the workers are asked to start; settles when every one has loaded and answered. */
  private started: Promise<void> | undefined;

  private constructor(size: number, options: AnalysisPoolOptions) {
    const emit = (event: PoolEvent): void => this.listeners.forEach((listener) => listener(event));
    this.slots = Array.from({ length: size }, (_, i) => new WorkerSlot(i, options, emit));
  }

  /**
   * The pool at once, its workers not started: a thread compiles opencv-wasm for about a second on
   * every core, so the dashboard draws its first frame before calling startWorkers(). The first
   * job starts them too.
   */
  static create(options: AnalysisPoolOptions = {}): AnalysisPool {
    return new AnalysisPool(options.size ?? availableParallelism(), options);
  }

  /** The pool once every worker has loaded and answered. */
  static async start(options: AnalysisPoolOptions = {}): Promise<AnalysisPool> {
    const pool = AnalysisPool.create(options);
    await pool.startWorkers();
    return pool;
  }

  /** Starts the workers, once; settles when every one has loaded and answered, rejects if one could not start. */
  startWorkers(): Promise<void> {
    if (!this.started) {
      this.started = this.spawnAll();
      // Observed by analyze() and close(), and by whoever awaits it.
      this.started.catch(() => undefined);
    }
    return this.started;
  }

  private async spawnAll(): Promise<void> {
    const { Pool } = loadThreads();
    await Promise.all(this.slots.map((slot) => slot.spawn()));
    let next = 0;
    this.pool = Pool(async () => this.slots[next++]!.handle as WorkerThread, this.slots.length);
  }

  get size(): number {
    return this.slots.length;
  }

  /** Analyses one image on the next free worker; resolves with its outcome, never rejects for the image's sake. */
  async analyze(job: AnalysisJob): Promise<AnalysisOutcome> {
    const closedFailure = failure(job, 'E_POOL_CLOSED', 'The analysis pool was stopped before this image was analysed.');
    try {
      await this.startWorkers();
    } catch (error) {
      const why = (error as Error).message.split('\n')[0];
      return failure(job, 'E_WORKER_START', `The analysis workers could not start (${why}); check the installation (npm ci).`);
    }
    if (this.closed || !this.pool) return closedFailure;
    try {
      return await this.pool.queue((handle) => slotOf(handle).run(job));
    } catch {
      // threads.js rejects the jobs still queued when the pool terminates.
      return closedFailure;
    }
  }

  /** Each worker's memory (wasm heap and JS heap), asked directly of every thread. */
  async memory(): Promise<{ wasmHeapBytes: number; jsHeapBytes: number }[]> {
    return Promise.all(this.slots.map((slot) => slot.memory()));
  }

  /** Subscribes to worker occupancy; returns the unsubscribe function. */
  on(listener: (event: PoolEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops every worker at once; jobs still queued resolve as failed with E_POOL_CLOSED. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const slot of this.slots) slot.closing = true;
    // A thread stopped while it starts would leave threads.js' start-up timer (60 s) running.
    await this.started?.catch(() => undefined);
    await this.pool?.terminate(true);
    await Promise.all(this.slots.map((slot) => slot.terminate()));
  }
}

function slotOf(handle: WorkerThread): WorkerSlot {
  return (handle as unknown as { [SLOT]: WorkerSlot })[SLOT];
}

function failure(job: AnalysisJob, code: string, message: string): AnalysisOutcome {
  return { ok: false, id: job.id, error: { code, message } };
}

/** One pool member: the current thread, its exit watch, and a proxy the threads.js Pool holds. */
class WorkerSlot {
  private thread: WorkerThread | undefined;
  private worker: NodeWorker | undefined;
  /** Set when the current thread exits or throws an uncaught error (threads.js keeps such a thread alive, its calls unsettled). */
  private dead = false;
  /**
   * Told when the current thread dies: the running job's watch. Not one promise raced by every
   * job: a promise that never settles keeps each race's reaction, and with it each job's result,
   * alive for as long as the thread lives (13 KiB an image in the soak).
   */
  private readonly deathWatchers = new Set<() => void>();
  /** Set when the pool stops: a worker that exits then is not replaced. */
  closing = false;
  readonly handle: object;

  constructor(
    readonly index: number,
    private readonly options: AnalysisPoolOptions,
    private readonly emit: (event: PoolEvent) => void,
  ) {
    this.handle = new Proxy(
      {},
      {
        get: (_target, prop) => {
          if (prop === SLOT) return this;
          const value: unknown = Reflect.get(this.thread ?? {}, prop);
          return typeof value === 'function' ? value.bind(this.thread) : value;
        },
      },
    );
  }

  async spawn(): Promise<void> {
    const { spawn, Thread, Worker } = loadThreads();
    // threads.js' Worker extends node's worker_threads.Worker; its typings show only the web API.
    // It also joins even an absolute script path onto the calling file's folder: give it a relative one.
    const script = relative(HERE, this.options.workerScript ?? ANALYSIS_WORKER);
    const worker = new Worker(script) as unknown as NodeWorker;
    this.worker = worker;
    this.dead = false;
    const thread = (await spawn<AnalysisWorkerApi>(worker as never, { timeout: 60_000 })) as WorkerThread;
    const die = (): void => {
      // A replaced thread's exit comes after its successor was started.
      if (this.worker !== worker || this.dead) return;
      this.dead = true;
      this.deathWatchers.forEach((watcher) => watcher());
    };
    worker.once('exit', die);
    // After start-up threads.js passes a worker's uncaught error on only as a plain message.
    Thread.events(thread).subscribe((event) => {
      const data: unknown = event.type === 'message' ? event.data : undefined;
      const uncaught = typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'uncaughtError';
      if (uncaught || event.type === 'internalError') die();
    });
    this.thread = thread;
  }

  async run(job: AnalysisJob): Promise<AnalysisOutcome> {
    const thread = this.thread!;
    const timeoutMs = this.options.timeoutMs ?? 120_000;
    let cancelTimer = (): void => undefined;
    const timedOut = new Promise<'timed-out'>((resolve) => {
      cancelTimer = (this.options.startTimer ?? defaultTimer)(() => resolve('timed-out'), timeoutMs);
    });
    let crash = (): void => undefined;
    const died = new Promise<'crashed'>((resolve) => (crash = () => resolve('crashed')));
    if (this.dead) crash();
    else this.deathWatchers.add(crash);
    this.emit({ type: 'worker-busy', worker: this.index, jobId: job.id });
    try {
      const result = await Promise.race([thread.analyze(job), died, timedOut]);
      if (typeof result === 'object') return result;
      if (this.closing) return failure(job, 'E_POOL_CLOSED', `Analysis of ${job.input} was stopped.`);
      await this.replace(result);
      return result === 'crashed'
        ? failure(job, 'E_WORKER_CRASHED', `The analysis worker stopped unexpectedly while analysing ${job.input}; it was replaced and the other images go on.`)
        : failure(job, 'E_ANALYSIS_TIMEOUT', `Analysing ${job.input} took longer than ${timeoutMs} ms (--analysis-timeout); its worker was replaced.`);
    } catch (error) {
      return failure(job, 'E_WORKER', `The analysis worker failed on ${job.input}: ${(error as Error).message}`);
    } finally {
      this.deathWatchers.delete(crash);
      cancelTimer();
      this.emit({ type: 'worker-idle', worker: this.index });
    }
  }

  /** The thread's memory; rejects when the thread stops first (a terminated thread never answers). */
  memory(): Promise<{ wasmHeapBytes: number; jsHeapBytes: number }> {
    const thread = this.thread;
    if (this.closing || this.dead || !thread) return Promise.reject(new Error(`Analysis worker ${this.index} is not running.`));
    return new Promise((resolve, reject) => {
      const stopped = (): void => reject(new Error(`Analysis worker ${this.index} stopped before it said its memory.`));
      this.deathWatchers.add(stopped);
      thread
        .memory()
        .then(resolve, reject)
        .finally(() => this.deathWatchers.delete(stopped));
    });
  }

  private async replace(reason: 'crashed' | 'timed-out'): Promise<void> {
    await this.terminate();
    await this.spawn();
    this.emit({ type: 'worker-replaced', worker: this.index, reason });
  }

  async terminate(): Promise<void> {
    await this.worker?.terminate();
  }
}
