import type { ImageAnalysis } from '../analysis/analyze-image.js';
import type { TruthCounts } from '../analysis/score.js';
import { printable } from '../printable.js';

/** The code of a task that a stop (Ctrl-C, q, SIGTERM) ended before it finished. */
export const E_INTERRUPTED = 'E_INTERRUPTED';

/** Why a task failed or was skipped: a stable code and a sentence for people. */
export interface TaskError {
  code: string;
  message: string;
}

/**
 * A warning about the run as a whole, from outside it (the --out lock lost): a stable code and a
 * sentence that says what it means and what to do.
 */
export interface Notice {
  code: string;
  message: string;
}

/** What a finished analysis adds to its task. */
export interface AnalysisResult extends ImageAnalysis {
  /** The annotated image, relative to the output folder. */
  processed: string;
  analysisMs: number;
  /** Demo skies: the detections against the sky's true stars (within 3 px). */
  truth?: TruthCounts;
}

/** A task as a source announces it. */
export interface NewTask {
  id: string;
  name: string;
  /** Local input path; for downloads, empty until the file lands. */
  file: string;
  url?: string;
  /**
   * What identifies the image from one run to the next (`--resume` matches on it): the input's
   * absolute path, the image's URL with secrets redacted, or what its source says (the demo's
   * server changes port every run).
   */
  key?: string;
}

/** A task finished by an earlier run into the same output folder, carried over by `--resume`. */
export interface RestoredTask {
  /** The analysed file: the input path, or the download (under `downloads/`). */
  file: string;
  download?: DownloadedFile;
  result: AnalysisResult;
}

/** What a finished download adds to its task. */
export interface DownloadedFile {
  file: string;
  bytes: number;
  attempts: number;
  downloadMs: number;
  fromManifest: boolean;
}

/** Everything that happens in a run, in order; the reducer folds these into RunState. */
export type RunEvent =
  | { type: 'run-started'; command: string; detector: string; workers: number; at: string }
  | { type: 'tasks-added'; tasks: NewTask[] }
  | { type: 'task-skipped'; id: string; reason: string }
  | { type: 'download-started'; id: string; attempt: number }
  | { type: 'download-progress'; id: string; transferred: number; total?: number; bytesPerSecond: number }
  | { type: 'download-retrying'; id: string; attempt: number; delayMs: number; retryAt: string; error: TaskError }
  | { type: 'download-done'; id: string; download: DownloadedFile }
  | { type: 'analysis-started'; id: string; worker: number }
  | { type: 'analysis-done'; id: string; result: AnalysisResult }
  | ({ type: 'task-restored'; id: string } & RestoredTask)
  | { type: 'task-failed'; id: string; stage: 'download' | 'analysis' | 'input'; error: TaskError }
  | { type: 'task-retry'; id: string }
  | { type: 'worker-idle'; worker: number }
  | { type: 'run-paused' }
  | { type: 'run-resumed' }
  | ({ type: 'notice' } & Notice)
  | { type: 'run-finished'; at: string; interrupted: boolean };

export type RunEventType = RunEvent['type'];

/**
 * `event` with the text that came from outside (task names, reasons, error messages) made
 * printable: every consumer (dashboard, plain lines, JSON, report) shows it and no terminal obeys it.
 */
export function printableEvent(event: RunEvent): RunEvent {
  switch (event.type) {
    case 'tasks-added':
      return event.tasks.some((task) => printable(task.name) !== task.name)
        ? { ...event, tasks: event.tasks.map((task) => ({ ...task, name: printable(task.name) })) }
        : event;
    case 'task-skipped':
      return { ...event, reason: printable(event.reason) };
    case 'notice':
      return { ...event, message: printable(event.message) };
    case 'download-retrying':
    case 'task-failed':
      return { ...event, error: { ...event.error, message: printable(event.error.message) } };
    default:
      return event;
  }
}
