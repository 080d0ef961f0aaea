import type { ImageAnalysis } from '../analysis/analyze-image.js';

/** Why a task failed or was skipped: a stable code and a sentence for people. */
export interface TaskError {
  code: string;
  message: string;
}

/** What a finished analysis adds to its task. */
export interface AnalysisResult extends ImageAnalysis {
  /** The annotated image, relative to the output folder. */
  processed: string;
  analysisMs: number;
}

/** Everything that happens in a run, in order; the reducer folds these into RunState. */
export type RunEvent =
  | { type: 'run-started'; command: string; detector: string; workers: number; at: string }
  | { type: 'tasks-added'; tasks: { id: string; name: string; file: string }[] }
  | { type: 'analysis-started'; id: string; worker: number }
  | { type: 'analysis-done'; id: string; result: AnalysisResult }
  | { type: 'task-failed'; id: string; error: TaskError }
  | { type: 'worker-idle'; worker: number }
  | { type: 'run-finished'; at: string; interrupted: boolean };

export type RunEventType = RunEvent['type'];
