import { basename } from 'node:path';
import type { RunEvent } from '../orchestrator/events.js';
import { redactUrl } from '../secrets.js';
import { formatBytes } from '../ui/format.js';
import { addTruth, truthSum } from '../ui/truth-words.js';
import type { RunState } from '../orchestrator/state.js';

/**
 * Plain output for scripts, logs and terminals without the dashboard: a line when a task changes
 * state (download progress and worker occupancy excepted). Returns the line for an event, or
 * undefined when the event deserves none.
 */
export function plainLine(event: RunEvent, state: RunState): string | undefined {
  const total = state.tasks.length;
  const ended = state.counts.done + state.counts.failed + state.counts.skipped;
  const prefix = `[${String(ended).padStart(String(total).length)}/${total}]`;
  switch (event.type) {
    case 'analysis-done': {
      const r = event.result;
      const name = displayName(state, event.id);
      const line = `${prefix} done    ${name.padEnd(NAME_WIDTH)}  ${plural(r.keypoints.length, 'star')}  ${r.width}×${r.height}  ${Math.round(r.analysisMs)} ms`;
      // Under the name, a line of its own: beside the rest it would pass 80 columns.
      return r.truth ? `${line}\n${' '.repeat(prefix.length + 9)}${truthSum(r.truth)}` : line;
    }
    case 'task-restored': {
      const r = event.result;
      return `${prefix} kept    ${displayName(state, event.id).padEnd(NAME_WIDTH)}  ${plural(r.keypoints.length, 'star')}  done by the run being resumed`;
    }
    case 'task-failed':
      return `${prefix} failed  ${displayName(state, event.id).padEnd(NAME_WIDTH)}  ${event.error.code}: ${event.error.message}`;
    case 'task-skipped':
      return `${prefix} skipped ${displayName(state, event.id).padEnd(NAME_WIDTH)}  ${event.reason}`;
    case 'download-done': {
      const d = event.download;
      const how = d.fromManifest ? 'already downloaded' : `${Math.round(d.downloadMs)} ms${d.attempts > 1 ? `, ${d.attempts} attempts` : ''}`;
      return `${prefix} fetched ${displayName(state, event.id).padEnd(NAME_WIDTH)}  ${formatBytes(d.bytes)}  ${how}`;
    }
    case 'download-retrying':
      return `${prefix} retry   ${displayName(state, event.id).padEnd(NAME_WIDTH)}  attempt ${event.attempt} in ${(event.delayMs / 1000).toFixed(1)} s: ${event.error.code}: ${event.error.message}`;
    case 'run-paused':
      return 'paused: no new downloads or analyses start until resumed';
    case 'run-resumed':
      return 'resumed';
    default:
      return undefined;
  }
}

/** The summary lists at most this many failures; the report has them all. */
const MAX_LISTED = 10;

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
  if (event.type === 'tasks-added') {
    // A URL the user listed may carry a token: print its place, never its value.
    // The key (--resume's) is bookkeeping: the id, name and file already say which image it is.
    return JSON.stringify({ ...event, tasks: event.tasks.map(({ key: _key, ...t }) => (t.url ? { ...t, url: redactUrl(t.url) } : t)) });
  }
  if (event.type !== 'analysis-done' && event.type !== 'task-restored') return JSON.stringify(event);
  const { thumbnail: _thumbnail, ...result } = event.result;
  return JSON.stringify({ ...event, result });
}

/** The closing summary: totals, speed and where the outputs are. */
export function summaryLines(state: RunState, elapsedMs: number, reportPath: string | undefined, processedDir: string): string[] {
  const { done, failed, skipped } = state.counts;
  const seconds = elapsedMs / 1000;
  const restored = state.tasks.filter((t) => t.restored).length;
  // Images kept from a resumed run took no time in this one.
  const rate = seconds > 0 ? ((done - restored) / seconds).toFixed(1) : '0';
  const head = state.interrupted ? 'Interrupted' : 'Finished';
  const downloaded = state.bytesDownloaded > 0 ? ` · ${formatBytes(state.bytesDownloaded)} downloaded` : '';
  const kept = restored > 0 ? ` · ${restored} kept from the run resumed` : '';
  const failures = state.tasks.filter((t) => t.status === 'failed');
  const truths = state.tasks.flatMap((t) => (t.result?.truth ? [t.result.truth] : []));
  return [
    `${head}: ${done} done, ${failed} failed, ${skipped} skipped · ${plural(state.stars, 'star')} · ${seconds.toFixed(1)} s · ${rate} images/s${downloaded}${kept}`,
    ...(truths.length > 0 ? [`  ${truthSum(addTruth(truths), String, true)}`] : []),
    ...failures.slice(0, MAX_LISTED).map((t) => `  failed: ${basename(t.name)}: ${t.error?.code}: ${t.error?.message}`),
    ...(failures.length > MAX_LISTED ? [`  … and ${failures.length - MAX_LISTED} more failures (see the report)`] : []),
    `Report: ${reportPath === undefined ? 'not written (the error follows)' : `${reportPath} (and report.csv)`} · annotated images: ${processedDir}`,
  ];
}
