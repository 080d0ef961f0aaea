/**
 * Where the run's activity is, kept up to date incrementally so that a frame costs the same with
 * 100 or 10,000 tasks: the list's follow anchor, the latest finished image and the star counts
 * for the histogram. Not pure (it remembers what it has seen) but free of I/O and Ink.
 */
import { SETTLED, type RunState, type TaskState } from '../orchestrator/state.js';

export interface Activity {
  /** First task that is not settled (done, failed, skipped); `tasks.length` when all are. */
  frontier: number;
  /** Index of the task that finished analysis most recently, or -1. */
  latestDone: number;
  /** Star counts of the done tasks in the order they finished; grows, never replaced. */
  starCounts: readonly number[];
}

export class ActivityTracker {
  #tasks: readonly TaskState[] | undefined;
  #startedAt: string | undefined;
  #frontier = 0;
  /** Done tasks seen, by index. */
  #done = new Set<number>();
  /** Failed tasks the frontier has passed: a retry sends them back, and the frontier with them. */
  #failedBehind = new Set<number>();
  #failedCount = 0;
  #latestDone = -1;
  #stars: number[] = [];
  #snapshot: Activity = { frontier: 0, latestDone: -1, starCounts: this.#stars };

  /**
   * Brings the tracker up to `state`. Amortised O(1) a call: the frontier only moves forward past
   * settled tasks, new done tasks are looked for from the frontier until all are found, and failed
   * tasks behind it are rechecked only when the failed count changes.
   */
  update(state: RunState): Activity {
    if (state.tasks === this.#tasks) return this.#snapshot;
    const tasks = state.tasks;
    if (state.startedAt !== this.#startedAt || tasks.length < (this.#tasks?.length ?? 0) || state.counts.done < this.#done.size) {
      this.#reset();
      this.#startedAt = state.startedAt;
    }
    this.#tasks = tasks;
    if (state.counts.failed !== this.#failedCount) {
      this.#failedCount = state.counts.failed;
      for (const i of this.#failedBehind) {
        if (tasks[i]?.status === 'failed') continue;
        this.#failedBehind.delete(i);
        this.#frontier = Math.min(this.#frontier, i);
      }
    }
    let missing = state.counts.done - this.#done.size;
    for (let i = this.#frontier; missing > 0 && i < tasks.length; i++) {
      const task = tasks[i]!;
      if (task.status !== 'done' || this.#done.has(i)) continue;
      this.#done.add(i);
      this.#stars.push(task.result?.stars ?? 0);
      this.#latestDone = i;
      missing--;
    }
    while (this.#frontier < tasks.length && SETTLED.has(tasks[this.#frontier]!.status)) {
      if (tasks[this.#frontier]!.status === 'failed') this.#failedBehind.add(this.#frontier);
      this.#frontier++;
    }
    this.#snapshot = { frontier: this.#frontier, latestDone: this.#latestDone, starCounts: this.#stars };
    return this.#snapshot;
  }

  #reset(): void {
    this.#frontier = 0;
    this.#done = new Set();
    this.#failedBehind = new Set();
    this.#failedCount = 0;
    this.#latestDone = -1;
    this.#stars = [];
  }
}
