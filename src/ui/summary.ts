/** The end-of-run summary as pure data: totals, failures and skips with reasons, where the outputs are. */
import { join } from 'node:path';
import type { TruthCounts } from '../analysis/score.js';
import { E_INTERRUPTED } from '../orchestrator/events.js';
import type { RunState, TaskState } from '../orchestrator/state.js';
import { formatBytes, formatCount, formatCounted, formatDuration } from './format.js';
import type { Segment } from './task-line.js';
import { addTruth, truthSum } from './truth-words.js';

export interface SummaryOptions {
  /** Current time (ms since the epoch), for a run that has not recorded its end. */
  now: number;
  /** Where the report was written; undefined when writing it failed (stderr says why). */
  reportPath: string | undefined;
  outDir: string;
  /** Failures and skips listed one a line before "…and N more". @default 20 */
  maxListed?: number;
}

/** The summary's lines, each a list of styled segments. */
export function summaryLines(state: RunState, options: SummaryOptions): Segment[][] {
  const max = options.maxListed ?? 20;
  const { done, failed, skipped } = state.counts;
  const total = state.tasks.length;
  const unfinished = total - done - failed - skipped;
  const start = state.startedAt ? Date.parse(state.startedAt) : options.now;
  const end = state.finishedAt ? Date.parse(state.finishedAt) : options.now;
  const lines: Segment[][] = [];
  lines.push([
    { text: '✦ stardash ', tone: 'accent', bold: true },
    { text: `${state.command || 'run'} `, bold: true },
    state.interrupted
      ? { text: `interrupted after ${formatDuration(end - start)}`, tone: 'warn', bold: true }
      : { text: `finished in ${formatDuration(end - start)}`, tone: failed > 0 ? 'warn' : 'ok', bold: true },
  ]);
  const truths: TruthCounts[] = [];
  const failures: TaskState[] = [];
  const skips: TaskState[] = [];
  let stopped = 0;
  let kept = 0;
  for (const task of state.tasks) {
    if (task.restored) kept++;
    if (task.result?.truth) truths.push(task.result.truth);
    // Tasks a stop cut short are not failures of their own: counted, not listed one by one.
    if (task.status === 'failed' && task.error?.code === E_INTERRUPTED) stopped++;
    else if (task.status === 'failed') failures.push(task);
    else if (task.status === 'skipped') skips.push(task);
  }
  const totals: Segment[] = [
    { text: `  ${formatCounted(total, 'task')}: ` },
    { text: `${formatCount(done)} done`, tone: 'ok' },
    { text: ' · ' },
    { text: `${formatCount(failed - stopped)} failed`, tone: failed - stopped > 0 ? 'error' : 'muted' },
    { text: ' · ' },
    { text: `${formatCount(skipped)} skipped`, tone: 'muted' },
  ];
  if (kept > 0) totals.push({ text: ` (${formatCount(kept)} kept from the run resumed)`, tone: 'muted' });
  if (stopped > 0) totals.push({ text: ' · ' }, { text: `${formatCount(stopped)} stopped unfinished`, tone: 'warn' });
  if (unfinished > 0) totals.push({ text: ' · ' }, { text: `${formatCount(unfinished)} not finished`, tone: 'warn' });
  lines.push(totals);
  const stars: Segment[] = [
    { text: '  ' },
    { text: `✦ ${formatCounted(state.stars, 'star')}`, tone: 'star', bold: true },
    { text: ` in ${formatCounted(done, 'image')}${state.bytesDownloaded > 0 ? ` · ${formatBytes(state.bytesDownloaded)} downloaded` : ''}` },
  ];
  lines.push(stars);
  // A line of its own: it says what the stars above are, and beside them would pass 80 columns.
  if (truths.length > 0) lines.push([{ text: `    ${truthSum(addTruth(truths), formatCount, true)}`, tone: 'muted' }]);
  // Shown in the dashboard's frame while it ran: said again here, where it stays.
  for (const notice of state.notices) lines.push([{ text: '  ⚠ ', tone: 'warn' }, { text: notice.message, tone: 'warn', bold: true }]);
  const list = (title: string, tasks: TaskState[], mark: Segment): void => {
    if (tasks.length === 0) return;
    lines.push([{ text: `${title} (${formatCount(tasks.length)}):`, bold: true, tone: mark.tone }]);
    for (const task of tasks.slice(0, max)) {
      // The reason on a line of its own, indented: a long one wraps under itself, not under the list.
      lines.push([{ text: '  ' }, mark, { text: ` ${task.name}`, bold: true }, ...(task.error ? [{ text: `  ${task.error.code}`, tone: mark.tone }] : [])]);
      if (task.error) lines.push([{ text: `      ${task.error.message}`, tone: 'muted' }]);
    }
    if (tasks.length > max) lines.push([{ text: `  …and ${formatCount(tasks.length - max)} more (see the report)`, tone: 'muted' }]);
  };
  list('Failed', failures, { text: '✗', tone: 'error' });
  list('Skipped', skips, { text: '–', tone: 'muted' });
  lines.push([{ text: 'Report     ', tone: 'muted' }, options.reportPath === undefined ? { text: 'not written (the error follows)', tone: 'error', bold: true } : { text: options.reportPath, bold: true }]);
  lines.push([{ text: 'Processed  ', tone: 'muted' }, { text: join(options.outDir, 'processed') + '/', bold: true }]);
  return lines;
}
