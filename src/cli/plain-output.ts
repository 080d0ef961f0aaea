import { basename } from 'node:path';
import type { RunEvent } from '../orchestrator/events.js';
import type { RunState } from '../orchestrator/state.js';

/**
 * Plain output for scripts, logs and terminals without the dashboard: a line when a task ends.
 * Returns the line for an event, or undefined when the event deserves none.
 */
export function plainLine(event: RunEvent, state: RunState): string | undefined {
  const total = state.tasks.length;
  const ended = state.counts.done + state.counts.failed + state.counts.skipped;
  const prefix = `[${String(ended).padStart(String(total).length)}/${total}]`;
  switch (event.type) {
    case 'analysis-done': {
      const r = event.result;
      const name = displayName(state, event.id);
      return `${prefix} done    ${name.padEnd(NAME_WIDTH)}  ${plural(r.keypoints.length, 'star')}  ${r.width}×${r.height}  ${Math.round(r.analysisMs)} ms`;
    }
    case 'task-failed':
      return `${prefix} failed  ${displayName(state, event.id).padEnd(NAME_WIDTH)}  ${event.error.code}: ${event.error.message}`;
    default:
      return undefined;
  }
}

/** Names are padded to this width so that the columns line up for most runs. */
const NAME_WIDTH = 32;

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function displayName(state: RunState, id: string): string {
  const at = state.index.get(id);
  const task = at === undefined ? undefined : state.tasks[at];
  return task ? basename(task.name) : id;
}

/** One JSON event a line (`--json`): thumbnails are left out, everything else is kept. */
export function jsonLine(event: RunEvent): string {
  if (event.type !== 'analysis-done') return JSON.stringify(event);
  const { thumbnail: _thumbnail, ...result } = event.result;
  return JSON.stringify({ ...event, result });
}

/** The closing summary: totals, speed and where the outputs are. */
export function summaryLines(state: RunState, elapsedMs: number, reportPath: string, processedDir: string): string[] {
  const { done, failed, skipped } = state.counts;
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? (done / seconds).toFixed(1) : '0';
  const head = state.interrupted ? 'Interrupted' : 'Finished';
  return [
    `${head}: ${done} done, ${failed} failed, ${skipped} skipped · ${plural(state.stars, 'star')} · ${seconds.toFixed(1)} s · ${rate} images/s`,
    `Report: ${reportPath} (and report.csv) · annotated images: ${processedDir}`,
  ];
}
