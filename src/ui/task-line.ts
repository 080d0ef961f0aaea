/** What a task row says, as pure data: columns, the state word and the detail segments. */
import type { TaskState, TaskStatus } from '../orchestrator/state.js';
import { barParts, cellWidth, fit, formatBytes, formatCount, formatDuration, formatRate } from './format.js';
import type { Tone } from './theme.js';
import { falseWords, foundEnough, foundWords } from './truth-words.js';

export interface Segment {
  text: string;
  tone?: Tone;
  bold?: boolean;
}

export const STATUS_LOOK: Readonly<Record<TaskStatus, { icon: string; word: string; tone: Tone }>> = {
  queued: { icon: '·', word: 'queued', tone: 'muted' },
  downloading: { icon: '↓', word: 'downloading', tone: 'accent' },
  retrying: { icon: '↻', word: 'retrying', tone: 'warn' },
  downloaded: { icon: '◦', word: 'downloaded', tone: 'info' },
  analysing: { icon: '◆', word: 'analysing', tone: 'busy' },
  done: { icon: '✓', word: 'done', tone: 'ok' },
  failed: { icon: '✗', word: 'failed', tone: 'error' },
  skipped: { icon: '–', word: 'skipped', tone: 'muted' },
};

/** Width of the state column: icon, space, the longest word ("downloading"), a space. */
export const STATE_WIDTH = 14;

/** Column widths of a row `width` cells wide: marker, name, state, detail (a space after the name). */
export function rowColumns(width: number): { marker: number; name: number; state: number; detail: number } {
  const marker = 2;
  const name = Math.min(40, Math.max(8, Math.floor(width * 0.3)));
  const detail = Math.max(0, width - marker - name - 1 - STATE_WIDTH);
  return { marker, name, state: STATE_WIDTH, detail };
}

/** The state word with its icon, e.g. `↓ downloading`. */
export function stateLabel(status: TaskStatus): string {
  const look = STATUS_LOOK[status];
  return `${look.icon} ${look.word}`;
}

/**
 * The detail column for a task, at most about `width` cells (Ink truncates what is left over).
 * `now` (ms since the epoch) counts a retry's wait down; without it the whole wait is shown.
 * `paused`: the run is paused, so a download's last speed is no longer its speed.
 */
export function taskDetail(task: TaskState, width: number, now?: number, paused = false): Segment[] {
  switch (task.status) {
    case 'queued':
      return [];
    case 'downloading':
      return downloadDetail(task, width, paused);
    case 'retrying': {
      const r = task.retry;
      if (!r) return [{ text: 'waiting to retry', tone: 'warn' }];
      const wait = now === undefined ? r.delayMs : Math.max(0, Date.parse(r.retryAt) - now);
      return [
        { text: wait > 0 ? `attempt ${r.attempt} in ${formatDuration(wait)}` : `attempt ${r.attempt} now`, tone: 'warn' },
        { text: `  ${rowReason(r.reason)}`, tone: 'muted' },
      ];
    }
    case 'downloaded':
      return [{ text: `${withBytes(task, '', ' · ')}waiting for a worker`, tone: 'muted' }];
    case 'analysing':
      return [
        { text: task.worker === undefined ? 'on a worker' : `on w${task.worker}`, tone: 'busy' },
        { text: withBytes(task, '  ', ''), tone: 'muted' },
      ];
    case 'done':
      return doneDetail(task, width);
    case 'failed':
      return task.error
        ? [
            { text: task.error.code, tone: 'error', bold: true },
            { text: `  ${rowReason(task.error.message)}`, tone: 'error' },
          ]
        : [{ text: 'failed', tone: 'error' }];
    case 'skipped':
      return [{ text: task.error?.message ?? 'not an image', tone: 'muted' }];
  }
}

/** A bar as wide as the column allows (so rows line up), then bytes so far of the total and the speed (or "paused"). */
function downloadDetail(task: TaskState, width: number, paused: boolean): Segment[] {
  const p = task.progress ?? { transferred: 0, bytesPerSecond: 0 };
  const amount = p.total === undefined ? formatBytes(p.transferred) : (sameUnit(p.transferred, p.total) ?? `${formatBytes(p.transferred)}/${formatBytes(p.total)}`);
  const text = `${amount.padEnd(15)}  ${paused ? 'paused' : formatRate(p.bytesPerSecond)}`;
  const barWidth = Math.min(20, width - 28);
  if (barWidth < 4) return [{ text, tone: 'accent' }];
  // An unknown size gets an empty track: the bytes beside it still count up.
  const { fill, rest } = barParts(p.total ? p.transferred / p.total : 0, barWidth);
  return [
    { text: fill, tone: 'accent' },
    { text: rest, tone: 'muted' },
    { text: ` ${text}` },
  ];
}

/** Stars first; then, as room allows, the true stars over 5σ found and the false ones (demo), analysis time and size, in aligned columns. */
function doneDetail(task: TaskState, width: number): Segment[] {
  const r = task.result;
  if (!r) return [{ text: 'done', tone: 'ok' }];
  const segments: Segment[] = [{ text: `✦ ${formatCount(r.stars).padStart(5)} ${r.stars === 1 ? 'star ' : 'stars'}`, tone: 'star', bold: true }];
  let used = segments[0]!.text.length;
  let full = false; // once a column is left out, so are those after it: columns stay aligned
  const add = (segment: Segment): void => {
    full ||= used + segment.text.length > width;
    if (full) return;
    segments.push(segment);
    used += segment.text.length;
  };
  if (r.truth) {
    // The true stars found first: how well the detector did is what a demo shows; then the false ones.
    add({ text: `  ${foundWords(r.truth, formatCount).padEnd(13)}`, tone: foundEnough(r.truth) ? 'ok' : 'warn' });
    add({ text: `  ${falseWords(r.truth, formatCount).padEnd(8)}`, tone: 'muted' });
  }
  // An image kept from a resumed run was analysed then, not now.
  add({ text: (task.restored ? 'kept' : formatDuration(r.analysisMs)).padStart(7), tone: 'muted' });
  add({ text: `  ${formatBytes(task.download?.bytes ?? r.bytes).padStart(9)}`, tone: 'muted' });
  return segments;
}

/** `segments` cut to at most `width` cells, the one that overflows ending in `…`. */
export function clipSegments(segments: readonly Segment[], width: number): Segment[] {
  const out: Segment[] = [];
  let used = 0;
  for (const segment of segments) {
    const cells = cellWidth(segment.text);
    if (used + cells <= width) {
      out.push(segment);
      used += cells;
      continue;
    }
    if (width - used > 0) out.push({ ...segment, text: fit(segment.text, width - used) });
    break;
  }
  return out;
}

/** A download error without its leading `GET <url>` or `Saving <url> in <folder> failed:`: the row's name already says which image. */
export function rowReason(message: string): string {
  return message.replace(/^GET \S+ /, '').replace(/^Saving \S+(?: in .+?)? failed: /, '');
}

/** `1.2/3.4 MiB` when both sizes print in the same unit. */
function sameUnit(a: number, b: number): string | undefined {
  const [av, au] = formatBytes(a).split(' ');
  const [bv, bu] = formatBytes(b).split(' ');
  return au === bu ? `${av}/${bv} ${bu}` : undefined;
}

/** The task's file size between `before` and `after`, or '' when not known yet. */
function withBytes(task: TaskState, before: string, after: string): string {
  const bytes = task.download?.bytes ?? task.result?.bytes;
  return bytes === undefined ? '' : `${before}${formatBytes(bytes)}${after}`;
}
