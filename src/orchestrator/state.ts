import type { AnalysisResult, DownloadedFile, Notice, RunEvent, TaskError } from './events.js';

/**
 * queued → (downloading ⇄ retrying) → downloaded → analysing → done; any step may end in failed;
 * skipped entries (not images) never start. A failed task can be retried (back to queued). A task
 * an earlier run finished goes from queued straight to done (task-restored, `--resume`).
 */
export type TaskStatus = 'queued' | 'downloading' | 'retrying' | 'downloaded' | 'analysing' | 'done' | 'failed' | 'skipped';

/**
 * A done task's analysis as the run state keeps it: its stars counted, not listed. A run holds every
 * task's state to the end, and stars (thousands an image) would make its memory grow with them;
 * the report reads them back from the journal (src/report/report-keypoints.ts).
 */
export type TaskResult = Omit<AnalysisResult, 'keypoints'> & { stars: number };

/** `result` without its keypoints, with their count. Pure. */
export function taskResult(result: AnalysisResult): TaskResult {
  const { keypoints, ...rest } = result;
  return { ...rest, stars: keypoints.length };
}

export interface DownloadProgress {
  transferred: number;
  total?: number;
  bytesPerSecond: number;
}

export interface TaskState {
  id: string;
  name: string;
  /** Input path, or the downloaded file once it has landed. */
  file: string;
  url?: string;
  /** Identifies the image across runs (`--resume`); see NewTask. */
  key?: string;
  status: TaskStatus;
  /** Done by an earlier run into the same output folder and carried over (`--resume`). */
  restored?: true;
  /** While downloading: bytes so far. */
  progress?: DownloadProgress;
  /** While retrying: which attempt comes next and after how long. */
  retry?: { attempt: number; delayMs: number; retryAt: string; reason: string };
  download?: DownloadedFile;
  worker?: number;
  result?: TaskResult;
  error?: TaskError;
  /** Where a failure happened; a retry after an analysis failure need not download again. */
  failedStage?: 'download' | 'analysis' | 'input';
  /** Requests made for the image so far, across retries (the report's attempts for a failed download). */
  requests?: number;
}

export interface RunState {
  command: string;
  detector: string;
  startedAt?: string;
  finishedAt?: string;
  paused: boolean;
  interrupted: boolean;
  /** Tasks in the order they were added (an array, so an update copies pointers, not keys). */
  tasks: readonly TaskState[];
  /** Position of each task id in `tasks`. */
  index: ReadonlyMap<string, number>;
  /** Per worker: the task it analyses, or null when idle. */
  workers: (string | null)[];
  counts: Record<TaskStatus, number>;
  stars: number;
  /** Bytes downloaded in this run (not counting files reused from a previous one). */
  bytesDownloaded: number;
  /** Warnings about the run as a whole, oldest first (the dashboard shows the last, the summary all). */
  notices: readonly Notice[];
}

export const EMPTY_COUNTS: Readonly<Record<TaskStatus, number>> = Object.freeze({
  queued: 0,
  downloading: 0,
  retrying: 0,
  downloaded: 0,
  analysing: 0,
  done: 0,
  failed: 0,
  skipped: 0,
});

/** The statuses a task does not leave by itself. */
export const SETTLED: ReadonlySet<TaskStatus> = new Set(['done', 'failed', 'skipped']);

export function initialRunState(): RunState {
  return {
    command: '',
    detector: '',
    paused: false,
    interrupted: false,
    tasks: [],
    index: new Map(),
    workers: [],
    counts: { ...EMPTY_COUNTS },
    stars: 0,
    bytesDownloaded: 0,
    notices: [],
  };
}

/** Folds one event into the run state; pure, returns a new state (unchanged parts are shared). */
export function reduceRun(state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case 'run-started':
      return {
        ...state,
        command: event.command,
        detector: event.detector,
        startedAt: event.at,
        workers: Array.from({ length: event.workers }, () => null),
      };
    case 'tasks-added': {
      const index = new Map(state.index);
      const added: TaskState[] = [];
      for (const t of event.tasks) {
        if (index.has(t.id)) continue; // ids are unique: a repeat is ignored
        index.set(t.id, state.tasks.length + added.length);
        added.push({ id: t.id, name: t.name, file: t.file, ...(t.url ? { url: t.url } : {}), ...(t.key ? { key: t.key } : {}), status: 'queued' });
      }
      if (added.length === 0) return state;
      return {
        ...state,
        tasks: [...state.tasks, ...added],
        index,
        counts: { ...state.counts, queued: state.counts.queued + added.length },
      };
    }
    case 'task-skipped':
      return withTask(state, event.id, { status: 'skipped', error: { code: 'SKIPPED', message: event.reason } });
    case 'download-started': {
      const requests = (taskById(state, event.id)?.requests ?? 0) + 1;
      return withTask(state, event.id, { status: 'downloading', progress: { transferred: 0, bytesPerSecond: 0 }, retry: undefined, requests });
    }
    case 'download-progress': {
      const { transferred, total, bytesPerSecond } = event;
      return withTask(state, event.id, { progress: { transferred, ...(total === undefined ? {} : { total }), bytesPerSecond } });
    }
    case 'download-retrying':
      return withTask(state, event.id, {
        status: 'retrying',
        retry: { attempt: event.attempt, delayMs: event.delayMs, retryAt: event.retryAt, reason: event.error.message },
      });
    case 'download-done': {
      const next = withTask(state, event.id, { status: 'downloaded', file: event.download.file, download: event.download, progress: undefined, retry: undefined });
      const fresh = event.download.fromManifest ? 0 : event.download.bytes;
      return next === state ? state : { ...next, bytesDownloaded: next.bytesDownloaded + fresh };
    }
    case 'analysis-started': {
      const next = withTask(state, event.id, { status: 'analysing', worker: event.worker });
      return { ...next, workers: setWorker(next.workers, event.worker, event.id) };
    }
    case 'worker-idle':
      return { ...state, workers: setWorker(state.workers, event.worker, null) };
    case 'analysis-done': {
      const result = taskResult(event.result);
      const next = withTask(state, event.id, { status: 'done', result, worker: undefined });
      return next === state ? state : { ...next, stars: next.stars + result.stars };
    }
    case 'task-restored': {
      const task = taskById(state, event.id);
      if (!task || task.status !== 'queued') return state;
      const result = taskResult(event.result);
      const next = withTask(state, event.id, {
        status: 'done',
        restored: true,
        file: event.file,
        result,
        ...(event.download ? { download: event.download } : {}),
      });
      return { ...next, stars: next.stars + result.stars };
    }
    case 'task-failed':
      return withTask(state, event.id, {
        status: 'failed',
        error: event.error,
        failedStage: event.stage,
        worker: undefined,
        progress: undefined,
        retry: undefined,
      });
    case 'task-retry': {
      const task = taskById(state, event.id);
      if (!task || task.status !== 'failed') return state;
      return withTask(state, event.id, { status: 'queued', error: undefined });
    }
    case 'notice':
      return { ...state, notices: [...state.notices, { code: event.code, message: event.message }] };
    case 'run-paused':
      return state.paused ? state : { ...state, paused: true };
    case 'run-resumed':
      return state.paused ? { ...state, paused: false } : state;
    case 'run-finished':
      return { ...state, finishedAt: event.at, interrupted: event.interrupted, paused: false };
  }
}

export function taskById(state: RunState, id: string): TaskState | undefined {
  const at = state.index.get(id);
  return at === undefined ? undefined : state.tasks[at];
}

/** Updates one task and keeps the per-status counts in step; unknown ids leave the state as it is. */
function withTask(state: RunState, id: string, patch: Partial<TaskState>): RunState {
  const at = state.index.get(id);
  if (at === undefined) return state;
  const task = state.tasks[at]!;
  const updated: TaskState = { ...task, ...patch };
  for (const key of Object.keys(patch) as (keyof TaskState)[]) {
    if (patch[key] === undefined) delete updated[key];
  }
  const tasks = state.tasks.slice();
  tasks[at] = updated;
  if (updated.status === task.status) return { ...state, tasks };
  const counts = { ...state.counts };
  counts[task.status]--;
  counts[updated.status]++;
  return { ...state, tasks, counts };
}

function setWorker(workers: (string | null)[], index: number, id: string | null): (string | null)[] {
  const next = workers.slice();
  while (next.length <= index) next.push(null);
  next[index] = id;
  return next;
}
