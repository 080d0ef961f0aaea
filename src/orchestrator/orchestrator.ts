import { mkdir, readdir, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import PQueue from 'p-queue';
import type { AnalysisJob } from '../analysis/analyze-image.js';
import type { DetectorSpec } from '../analysis/detectors.js';
import type { AnalysisPool } from '../analysis/pool.js';
import { truthCounts } from '../analysis/score.js';
import type { DownloadEvent, DownloadRequest, DownloadResult } from '../download/types.js';
import type { LocalInput } from '../sources/local.js';
import type { RemoteListing, TrueStar } from '../sources/remote.js';
import { redactUrl } from '../secrets.js';
import { E_INTERRUPTED, printableEvent, type NewTask, type Notice, type RestoredTask, type RunEvent, type TaskError } from './events.js';
import { processedName } from './naming.js';
import { restoredEvents } from './restore.js';
import { initialRunState, reduceRun, taskById, type RunState } from './state.js';

/** What the orchestrator needs of the download layer (src/download/downloader.ts). */
export interface Downloads {
  download(request: DownloadRequest, onEvent: (event: DownloadEvent) => void): Promise<DownloadResult>;
  /** No new download starts, and in-flight ones stop reading, until resume(). */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

export interface OrchestratorOptions {
  /** The command being run, for the report (`analyze`, `demo`, …). */
  command: string;
  /** Output folder; `processed/` goes inside it. */
  out: string;
  detector: DetectorSpec;
  /** Decompression-bomb guard, in pixels. */
  maxPixels: number;
  /**
   * Whether done tasks keep a thumbnail, for the dashboard's preview. A run keeps every task's state
   * to the end: without a dashboard, thumbnails were most of what it kept an image, and its memory
   * grew with them (README, "Soak"). @default true
   */
  thumbnails?: boolean;
  /** Runs the analyses (injected so tests can give a pool with misbehaving workers). */
  pool: AnalysisPool;
  /** Fetches remote images; needed by runRemote. */
  downloads?: Downloads;
  /** Download everything before analysing anything, as the seed did (only to measure against). */
  twoPhase?: boolean;
  /**
   * Tasks an earlier run into `out` finished, by key (NewTask.key; `--resume`): a task with one of
   * these keys is done at once, neither downloaded nor analysed again. @default none
   */
  restored?: ReadonlyMap<string, RestoredTask>;
  /** @default () => new Date() */
  clock?: () => Date;
}

export type RunListener = (event: RunEvent, state: RunState) => void;

const INTERRUPTED: TaskError = { code: E_INTERRUPTED, message: 'The run was interrupted before this image was finished.' };

/**
 * Drives a run. Each image flows download → analysis on its own, so an analysis starts the moment
 * its download lands (streaming); queues hold paths, never pixels. Every change is published as a
 * typed event together with the state the pure reducer made of it.
 */
export class Orchestrator {
  private state: RunState = initialRunState();
  private readonly listeners = new Set<RunListener>();
  private readonly names = new Set<string>();
  /** Demo skies' true stars, asked for when the image is analysed and then let go. */
  private readonly truth = new Map<string, () => readonly TrueStar[]>();
  /** Analyses waiting for a worker: held here (not in the pool) so that pausing stops new ones. */
  private readonly analyses: PQueue;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  /** Settles when stop() has closed the downloads and the workers. */
  private stopping: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Events reduced but not yet delivered to every listener (see dispatch). */
  private readonly undelivered: { event: RunEvent; state: RunState }[] = [];
  private delivering = false;

  constructor(private readonly options: OrchestratorOptions) {
    this.analyses = new PQueue({ concurrency: options.pool.size });
  }

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
    return this.run(async () => {
      const tasks = inputs.map((input, i) => ({ id: `${i + 1}`, name: input.path, file: input.path, key: localKey(input.path) }));
      this.dispatch({ type: 'tasks-added', tasks });
      const restored = this.restore(tasks);
      inputs.forEach((input, i) => {
        const id = tasks[i]!.id;
        if (input.kind === 'error') this.dispatch({ type: 'task-failed', id, stage: 'input', error: input.error });
        else if (!restored.has(id)) this.track(this.analyse(id, input.path));
      });
    });
  }

  /** Downloads and analyses a remote listing; skipped entries are reported as such. */
  async runRemote(listing: RemoteListing): Promise<RunState> {
    return this.run(async () => {
      const tasks = listing.images.map((image) => ({ id: image.id, name: image.name, file: '', url: image.url, key: image.key ?? redactUrl(image.url) }));
      this.dispatch({ type: 'tasks-added', tasks: [...tasks, ...listing.skipped.map((entry) => ({ id: entry.id, name: entry.name, file: '' }))] });
      for (const entry of listing.skipped) this.dispatch({ type: 'task-skipped', id: entry.id, reason: entry.reason });
      const restored = this.restore(tasks);
      const images = listing.images.filter((image) => !restored.has(image.id));
      for (const image of images) if (image.truth) this.truth.set(image.id, image.truth);
      if (this.options.twoPhase) {
        const files = await Promise.all(images.map((image) => this.fetch(image.id, image.url)));
        files.forEach((file, i) => file && this.track(this.analyse(images[i]!.id, file)));
      } else {
        for (const image of images) this.track(this.pipeline(image.id, image.url));
      }
    });
  }

  /** No new download or analysis starts; in-flight downloads stop reading until resume(). */
  pause(): void {
    if (this.state.paused || this.stopped) return;
    this.analyses.pause();
    this.options.downloads?.pause();
    this.dispatch({ type: 'run-paused' });
  }

  resume(): void {
    if (!this.state.paused) return;
    this.dispatch({ type: 'run-resumed' });
    this.options.downloads?.resume();
    this.analyses.start();
  }

  /** A warning about the run from outside it (the --out lock lost), for every output to show. */
  notice(notice: Notice): void {
    this.dispatch({ type: 'notice', ...notice });
  }

  /** Runs a failed task again: from its download, or, if the file is there, from its analysis. */
  retry(id: string): void {
    const task = taskById(this.state, id);
    if (!task || task.status !== 'failed' || task.failedStage === 'input' || this.stopped) return;
    this.dispatch({ type: 'task-retry', id });
    if (task.failedStage === 'analysis' && task.file) this.track(this.analyse(id, task.file));
    else if (task.url) this.track(this.pipeline(id, task.url));
  }

  retryFailed(): void {
    for (const task of this.state.tasks) if (task.status === 'failed') this.retry(task.id);
  }

  /** Aborted when the run is stopped: a source still listing its images passes it on to its requests. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Stops the run: requests are aborted, workers stopped, unfinished tasks fail with E_INTERRUPTED. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    // Queued analyses still run, but see `stopped` and end at once (clear() would leave them unsettled).
    this.analyses.start();
    this.stopping = Promise.all([this.options.downloads?.close(), this.options.pool.close()]).then(() => undefined);
    await this.stopping;
  }

  private async run(start: () => Promise<void>): Promise<RunState> {
    const { pool } = this.options;
    this.dispatch({ type: 'run-started', command: this.options.command, detector: this.options.detector.name, workers: pool.size, at: this.now() });
    const unsubscribe = pool.on((event) => {
      if (event.type === 'worker-busy') this.dispatch({ type: 'analysis-started', id: event.jobId, worker: event.worker });
      if (event.type === 'worker-idle') this.dispatch({ type: 'worker-idle', worker: event.worker });
    });
    try {
      await mkdir(join(this.options.out, 'processed'), { recursive: true });
      await start();
      // Retries add work while we wait: wait until nothing is left in flight.
      while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    } finally {
      unsubscribe();
    }
    // A worker stopped mid-write leaves its temporary file: it never got a final name; remove it
    // once every worker has exited (none can write after that).
    if (this.stopped) {
      await this.stopping;
      await removePartials(join(this.options.out, 'processed'));
    }
    this.dispatch({ type: 'run-finished', at: this.now(), interrupted: this.stopped });
    return this.state;
  }

  /**
   * Marks done the tasks an earlier run finished (options.restored) and returns their ids. Their
   * annotated images keep their names: new ones are named around them.
   */
  private restore(tasks: readonly NewTask[]): Set<string> {
    const ids = new Set<string>();
    for (const event of restoredEvents(tasks, this.options.restored ?? new Map(), this.options.thumbnails !== false)) {
      ids.add(event.id);
      this.names.add(basename(event.result.processed).toLowerCase());
      this.dispatch(event);
    }
    return ids;
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async pipeline(id: string, url: string): Promise<void> {
    const file = await this.fetch(id, url);
    if (file) await this.analyse(id, file);
  }

  /** Downloads one image; returns its path, or undefined after reporting the failure. */
  private async fetch(id: string, url: string): Promise<string | undefined> {
    const downloads = this.options.downloads;
    if (!downloads) throw new Error('runRemote needs the downloads option');
    if (this.stopped) return this.fail(id, 'download', INTERRUPTED);
    try {
      const result = await downloads.download({ id, url, signal: this.abort.signal }, (event) => this.dispatch(event));
      const { file, bytes, attempts, downloadMs, fromManifest } = result;
      this.dispatch({ type: 'download-done', id, download: { file, bytes, attempts, downloadMs, fromManifest } });
      return file;
    } catch (error) {
      return this.fail(id, 'download', this.stopped ? INTERRUPTED : describe(error));
    }
  }

  private async analyse(id: string, file: string): Promise<void> {
    const processed = join('processed', processedName(file, this.names));
    const job: AnalysisJob = {
      id,
      input: file,
      processed: join(this.options.out, processed),
      detector: this.options.detector,
      maxPixels: this.options.maxPixels,
      thumbnail: this.options.thumbnails !== false,
    };
    const outcome = await this.analyses.add(async () => (this.stopped ? undefined : this.options.pool.analyze(job)));
    if (!outcome || !outcome.ok) {
      // A worker stopped after renaming its image but before answering leaves a file that no report entry accounts for.
      if (outcome) await rm(job.processed, { force: true });
      this.fail(id, 'analysis', this.stopped || !outcome ? INTERRUPTED : outcome.error);
      return;
    }
    const { ok: _ok, id: _id, ...result } = outcome;
    const t = result.timings;
    const truth = this.truth.get(id)?.();
    this.truth.delete(id);
    this.dispatch({
      type: 'analysis-done',
      id,
      result: {
        ...result,
        processed,
        analysisMs: t.readMs + t.decodeMs + t.detectMs + t.annotateMs,
        ...(truth ? { truth: truthCounts(result.keypoints, truth) } : {}),
      },
    });
  }

  private fail(id: string, stage: 'download' | 'analysis' | 'input', error: TaskError): undefined {
    this.dispatch({ type: 'task-failed', id, stage, error });
    return undefined;
  }

  /**
   * Reduces at once, but delivers in order: a listener that acts (retry, pause, stop) dispatches
   * from inside a delivery, and the listeners after it must still get the outer event first, each
   * event with the state it made.
   */
  private dispatch(outside: RunEvent): void {
    const event = printableEvent(outside);
    this.state = reduceRun(this.state, event);
    this.undelivered.push({ event, state: this.state });
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let next = this.undelivered.shift(); next; next = this.undelivered.shift()) {
        for (const listener of this.listeners) listener(next.event, next.state);
      }
    } finally {
      this.delivering = false;
      this.undelivered.length = 0;
    }
  }

  private now(): string {
    return (this.options.clock?.() ?? new Date()).toISOString();
  }
}

/** A local input's key (NewTask.key): its absolute path. */
export function localKey(path: string): string {
  return resolve(path);
}

function describe(error: unknown): TaskError {
  const code = (error as { code?: unknown }).code;
  return { code: typeof code === 'string' ? code : 'E_DOWNLOAD', message: error instanceof Error ? error.message : String(error) };
}

/** Deletes the `*.part` files (unfinished writes) in `dir`. */
async function removePartials(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((name) => name.endsWith('.part')).map((name) => rm(join(dir, name), { force: true })));
}
