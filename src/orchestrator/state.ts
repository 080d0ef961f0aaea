import type { AnalysisResult, RunEvent, TaskError } from './events.js';

export type TaskStatus = 'queued' | 'analysing' | 'done' | 'failed' | 'skipped';

export interface TaskState {
  id: string;
  name: string;
  /** Input path (or, for downloads, the downloaded file). */
  file: string;
  status: TaskStatus;
  worker?: number;
  result?: AnalysisResult;
  error?: TaskError;
}

export interface RunState {
  command: string;
  detector: string;
  startedAt?: string;
  finishedAt?: string;
  interrupted: boolean;
  /** Tasks in the order they were added (an array, so an update copies pointers, not keys). */
  tasks: readonly TaskState[];
  /** Position of each task id in `tasks`. */
  index: ReadonlyMap<string, number>;
  /** Per worker: the task it analyses, or null when idle. */
  workers: (string | null)[];
  counts: Record<TaskStatus, number>;
  stars: number;
}

export const EMPTY_COUNTS: Readonly<Record<TaskStatus, number>> = Object.freeze({
  queued: 0,
  analysing: 0,
  done: 0,
  failed: 0,
  skipped: 0,
});

export function initialRunState(): RunState {
  return {
    command: '',
    detector: '',
    interrupted: false,
    tasks: [],
    index: new Map(),
    workers: [],
    counts: { ...EMPTY_COUNTS },
    stars: 0,
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
        added.push({ id: t.id, name: t.name, file: t.file, status: 'queued' });
      }
      if (added.length === 0) return state;
      return {
        ...state,
        tasks: [...state.tasks, ...added],
        index,
        counts: { ...state.counts, queued: state.counts.queued + added.length },
      };
    }
    case 'analysis-started': {
      const next = withTask(state, event.id, { status: 'analysing', worker: event.worker });
      return { ...next, workers: setWorker(next.workers, event.worker, event.id) };
    }
    case 'worker-idle':
      return { ...state, workers: setWorker(state.workers, event.worker, null) };
    case 'analysis-done': {
      const next = withTask(state, event.id, { status: 'done', result: event.result, worker: undefined });
      return next === state ? state : { ...next, stars: next.stars + event.result.keypoints.length };
    }
    case 'task-failed':
      return withTask(state, event.id, { status: 'failed', error: event.error, worker: undefined });
    case 'run-finished':
      return { ...state, finishedAt: event.at, interrupted: event.interrupted };
  }
}

/** Updates one task and keeps the per-status counts in step; unknown ids leave the state as it is. */
function withTask(state: RunState, id: string, patch: Partial<TaskState>): RunState {
  const at = state.index.get(id);
  if (at === undefined) return state;
  const task = state.tasks[at]!;
  const updated: TaskState = { ...task, ...patch };
  const tasks = state.tasks.slice();
  tasks[at] = updated;
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
