/** The header's counts-per-state line, fitted to a width: pure. */
import type { TaskStatus } from '../orchestrator/state.js';
import { formatCount, formatCounted } from './format.js';
import { STATUS_LOOK } from './task-line.js';

export const STATUS_ORDER: readonly TaskStatus[] = ['queued', 'downloading', 'retrying', 'downloaded', 'analysing', 'done', 'failed', 'skipped'];

export interface CountsLine {
  items: { status: TaskStatus; count: string; label: string }[];
  /** Between items. */
  gap: string;
  /** Whether the star total fits after them. */
  stars: boolean;
}

/**
 * The richest form that fits `width`: every state in words with the star total; then only states
 * with tasks; then without the star total; then icons (as in the task rows) instead of words.
 */
export function countsLine(counts: Readonly<Record<TaskStatus, number>>, stars: number, width: number): CountsLine {
  const starsText = `  ✦ ${formatCounted(stars, 'star')}`;
  const make = (statuses: readonly TaskStatus[], words: boolean, gap: string, withStars: boolean): CountsLine => ({
    items: statuses.map((status) =>
      words
        ? { status, count: formatCount(counts[status]), label: ` ${STATUS_LOOK[status].word}` }
        : { status, count: `${STATUS_LOOK[status].icon} ${formatCount(counts[status])}`, label: '' },
    ),
    gap,
    stars: withStars,
  });
  const length = (line: CountsLine): number =>
    line.items.reduce((sum, item, i) => sum + (i > 0 ? line.gap.length : 0) + item.count.length + item.label.length, 0) + (line.stars ? starsText.length : 0);
  const busy = STATUS_ORDER.filter((s) => counts[s] > 0);
  const candidates = [
    make(STATUS_ORDER, true, '  ', true),
    make(busy, true, '  ', true),
    make(busy, true, '  ', false),
    make(busy, false, '  ', true),
    make(busy, false, ' ', false),
  ];
  return candidates.find((line) => length(line) <= width) ?? candidates[candidates.length - 1]!;
}
