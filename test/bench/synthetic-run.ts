/**
 * A run made of synthetic events, for the UI benchmark: `count` tasks go through download
 * (progress ticks), analysis (a few ticks on one of `workers`) and done, `inFlight` downloads at a
 * time, one tick at a time. It is the dashboard's RunControl, so the real App can subscribe to it.
 */
import type { AnalysisResult, RunEvent } from '../../src/orchestrator/events.js';
import type { RunListener } from '../../src/orchestrator/orchestrator.js';
import { initialRunState, reduceRun, type RunState } from '../../src/orchestrator/state.js';
import { T0, skyResult } from '../ui/runs.js';

export interface SyntheticOptions {
  count: number;
  /** Downloads at once. @default 8 */
  inFlight?: number;
  workers?: number;
  /** Ticks a download takes. @default 10 */
  downloadTicks?: number;
  /** Ticks an analysis takes. @default 3 */
  analysisTicks?: number;
}

/** A handful of distinct results, reused: building one per task would dominate the benchmark. */
const RESULTS: AnalysisResult[] = Array.from({ length: 16 }, (_, i) => skyResult(i + 1, 20 + i * 7));
const BYTES = 2_000_000;

export class SyntheticRun {
  snapshot: RunState = initialRunState();
  private readonly listeners = new Set<RunListener>();
  private readonly downloading = new Map<number, number>();
  private readonly analysing = new Map<number, { worker: number; ticks: number }>();
  private readonly freeWorkers: number[];
  private readonly waiting: number[] = [];
  private next = 0;
  private readonly options: Required<SyntheticOptions>;

  constructor(options: SyntheticOptions) {
    this.options = { inFlight: 8, workers: 2, downloadTicks: 10, analysisTicks: 3, ...options };
    this.freeWorkers = Array.from({ length: this.options.workers }, (_, w) => w);
    this.emit({ type: 'run-started', command: 'urls', detector: 'blob', workers: this.options.workers, at: new Date(T0).toISOString() });
    const names = Array.from({ length: options.count }, (_, i) => `image-${String(i).padStart(5, '0')}.jpg`);
    this.emit({ type: 'tasks-added', tasks: names.map((name, i) => ({ id: `t${i}`, name, file: '', url: `http://127.0.0.1:40123/${name}` })) });
  }

  on(listener: RunListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  pause(): void {}
  resume(): void {}
  retry(): void {}
  retryFailed(): void {}

  /** True once every task is done. */
  get finished(): boolean {
    return this.snapshot.counts.done === this.options.count;
  }

  /** Moves every task in flight one tick on; returns the number of events it took. */
  tick(): number {
    let events = 0;
    const emit = (event: RunEvent): void => {
      events++;
      this.emit(event);
    };
    const { downloadTicks, analysisTicks } = this.options;
    for (const [i, worked] of this.analysing) {
      if (worked.ticks + 1 < analysisTicks) {
        this.analysing.set(i, { ...worked, ticks: worked.ticks + 1 });
        continue;
      }
      this.analysing.delete(i);
      emit({ type: 'analysis-done', id: `t${i}`, result: { ...RESULTS[i % RESULTS.length]!, processed: `processed/t${i}.jpg` } });
      emit({ type: 'worker-idle', worker: worked.worker });
      this.freeWorkers.push(worked.worker);
    }
    for (const [i, ticks] of this.downloading) {
      if (ticks + 1 < downloadTicks) {
        this.downloading.set(i, ticks + 1);
        emit({ type: 'download-progress', id: `t${i}`, transferred: Math.round((BYTES * (ticks + 1)) / downloadTicks), total: BYTES, bytesPerSecond: 1_500_000 });
        continue;
      }
      this.downloading.delete(i);
      emit({ type: 'download-done', id: `t${i}`, download: { file: `downloads/t${i}.jpg`, bytes: BYTES, attempts: 1, downloadMs: 400, fromManifest: false } });
      this.waiting.push(i);
    }
    while (this.waiting.length > 0 && this.freeWorkers.length > 0) {
      const i = this.waiting.shift()!;
      const worker = this.freeWorkers.shift()!;
      this.analysing.set(i, { worker, ticks: 0 });
      emit({ type: 'analysis-started', id: `t${i}`, worker });
    }
    while (this.downloading.size < this.options.inFlight && this.next < this.options.count) {
      const i = this.next++;
      this.downloading.set(i, 0);
      emit({ type: 'download-started', id: `t${i}`, attempt: 1 });
    }
    return events;
  }

  private emit(event: RunEvent): void {
    this.snapshot = reduceRun(this.snapshot, event);
    for (const listener of this.listeners) listener(event, this.snapshot);
  }
}
