import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalysisJob } from '../analysis/analyze-image.js';
import type { DetectorSpec } from '../analysis/detectors.js';
import type { AnalysisPool } from '../analysis/pool.js';
import type { LocalInput } from '../sources/local.js';
import type { RunEvent } from './events.js';
import { processedName } from './naming.js';
import { initialRunState, reduceRun, type RunState } from './state.js';

export interface OrchestratorOptions {
  /** The command being run, for the report (`analyze`, `demo`, …). */
  command: string;
  /** Output folder; `processed/` goes inside it. */
  out: string;
  detector: DetectorSpec;
  /** Decompression-bomb guard, in pixels. */
  maxPixels: number;
  /** Runs the analyses (injected so tests can give a pool with misbehaving workers). */
  pool: AnalysisPool;
  /** @default () => new Date() */
  clock?: () => Date;
}

export type RunListener = (event: RunEvent, state: RunState) => void;

/**
 * Drives a run: turns inputs into tasks, feeds them to the analysis pool, and publishes every change
 * as a typed event together with the state the pure reducer made of it.
 */
export class Orchestrator {
  private state: RunState = initialRunState();
  private readonly listeners = new Set<RunListener>();
  private readonly names = new Set<string>();
  private stopped = false;

  constructor(private readonly options: OrchestratorOptions) {}

  get snapshot(): RunState {
    return this.state;
  }

  /** Subscribes to events; returns the unsubscribe function. */
  on(listener: RunListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Analyses local images; resolves with the final state when every task has ended. */
  async runLocal(inputs: readonly LocalInput[]): Promise<RunState> {
    const { pool } = this.options;
    this.dispatch({
      type: 'run-started',
      command: this.options.command,
      detector: this.options.detector.name,
      workers: pool.size,
      at: this.now(),
    });
    const unsubscribe = pool.on((event) => {
      if (event.type === 'worker-busy') this.dispatch({ type: 'analysis-started', id: event.jobId, worker: event.worker });
      if (event.type === 'worker-idle') this.dispatch({ type: 'worker-idle', worker: event.worker });
    });
    try {
      const tasks = inputs.map((input, i) => ({ id: `${i + 1}`, name: input.path, file: input.path }));
      this.dispatch({ type: 'tasks-added', tasks });
      await mkdir(join(this.options.out, 'processed'), { recursive: true });
      await Promise.all(
        inputs.map((input, i) => {
          const id = tasks[i]!.id;
          if (input.kind === 'error') {
            this.dispatch({ type: 'task-failed', id, error: input.error });
            return undefined;
          }
          return this.analyse(id, input.path);
        }),
      );
    } finally {
      unsubscribe();
    }
    // A worker stopped mid-write leaves its temporary file: it never got a final name; remove it.
    if (this.stopped) await removePartials(join(this.options.out, 'processed'));
    this.dispatch({ type: 'run-finished', at: this.now(), interrupted: this.stopped });
    return this.state;
  }

  /** Stops the run: queued and running analyses fail with E_INTERRUPTED and the run ends as interrupted. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.options.pool.close();
  }

  private async analyse(id: string, file: string): Promise<void> {
    const processed = join('processed', processedName(file, this.names));
    const job: AnalysisJob = {
      id,
      input: file,
      processed: join(this.options.out, processed),
      detector: this.options.detector,
      maxPixels: this.options.maxPixels,
    };
    const outcome = await this.options.pool.analyze(job);
    if (!outcome.ok) {
      const error = this.stopped ? { code: 'E_INTERRUPTED', message: 'The run was interrupted before this image was analysed.' } : outcome.error;
      this.dispatch({ type: 'task-failed', id, error });
      return;
    }
    const { ok: _ok, id: _id, ...result } = outcome;
    const t = result.timings;
    this.dispatch({
      type: 'analysis-done',
      id,
      result: { ...result, processed, analysisMs: t.readMs + t.decodeMs + t.detectMs + t.annotateMs },
    });
  }

  private dispatch(event: RunEvent): void {
    this.state = reduceRun(this.state, event);
    for (const listener of this.listeners) listener(event, this.state);
  }

  private now(): string {
    return (this.options.clock?.() ?? new Date()).toISOString();
  }
}

/** Deletes the `*.part` files (unfinished writes) in `dir`. */
async function removePartials(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((name) => name.endsWith('.part')).map((name) => rm(join(dir, name), { force: true })));
}
