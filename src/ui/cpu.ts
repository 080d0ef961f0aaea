/** Pure CPU load arithmetic for the CPU panel: os.cpus() time deltas, histories, sparklines and cells. */
import { barParts } from './format.js';

/** The per-core times `os.cpus()[i].times` reports, in ms since boot. */
export interface CpuTimes {
  user: number;
  nice: number;
  sys: number;
  idle: number;
  irq: number;
}

/**
 * Busy fraction (0–1) of each core between two `os.cpus()` samples: the non-idle share of the
 * time that passed. A core missing from either sample, or with no time passed, reads 0.
 */
export function cpuFractions(prev: readonly { times: CpuTimes }[], next: readonly { times: CpuTimes }[]): number[] {
  return next.map((core, i) => {
    const before = prev[i];
    if (!before) return 0;
    const a = before.times;
    const b = core.times;
    const busy = b.user - a.user + (b.nice - a.nice) + (b.sys - a.sys) + (b.irq - a.irq);
    const total = busy + (b.idle - a.idle);
    return total > 0 ? Math.min(1, Math.max(0, busy / total)) : 0;
  });
}

/** Appends one sample per core to the histories (newest last), keeping the last `keep`; returns new arrays. */
export function pushHistory(history: readonly (readonly number[])[], fractions: readonly number[], keep: number): number[][] {
  return fractions.map((f, i) => {
    const past = history[i] ?? [];
    const start = Math.max(0, past.length + 1 - keep);
    return [...past.slice(start), f];
  });
}

const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** The sparkline glyph for a fraction 0–1 (▁ for idle, so the baseline shows). */
export function sparkGlyph(fraction: number): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  return SPARKS[Math.min(SPARKS.length - 1, Math.floor(f * SPARKS.length))]!;
}

/** The newest `width` values as a sparkline, right-aligned (padded with spaces on the left). */
export function sparkline(values: readonly number[], width: number): string {
  const w = Math.max(0, Math.floor(width));
  const recent = values.slice(Math.max(0, values.length - w));
  return ' '.repeat(w - recent.length) + recent.map(sparkGlyph).join('');
}

/** Load level for colouring: low below 50 %, high from 80 %. */
export function loadLevel(fraction: number): 'low' | 'mid' | 'high' {
  return fraction >= 0.8 ? 'high' : fraction >= 0.5 ? 'mid' : 'low';
}

/** One core's cell in the CPU panel: the parts that fit in `width` cells (one of them a trailing gap). */
export interface CoreCell {
  label: string;
  /** Current load bar, when there is room. */
  bar?: { fill: string; rest: string };
  /** `45%`, right-aligned in 4 cells, when there is room. */
  percent?: string;
  /** History, oldest first. */
  spark?: string;
  /** The newest sample. */
  current: number;
}

/** Lays out core `index`'s cell: label, bar, percent and sparkline as width allows, in that order of dropping last. */
export function coreCell(index: number, labelWidth: number, history: readonly number[], width: number): CoreCell {
  const current = history.length > 0 ? history[history.length - 1]! : 0;
  const usable = width - 1;
  const label = `cpu${index}`.padEnd(labelWidth);
  const percent = `${Math.round(Math.min(1, Math.max(0, current)) * 100)}%`.padStart(4);
  const room = usable - labelWidth;
  if (room >= 22) {
    // label ␣ bar ␣ percent ␣ spark
    const free = room - 7;
    const barWidth = Math.min(12, Math.floor(free * 0.45));
    const sparkWidth = Math.min(40, free - barWidth);
    return { label, bar: barParts(current, barWidth), percent, spark: sparkline(history, sparkWidth), current };
  }
  if (room >= 9) return { label, percent, spark: sparkline(history, room - 6), current }; // label ␣ spark ␣ percent
  if (room >= 2) return { label, spark: sparkline(history, room - 1), current };
  return { label: label.slice(0, Math.max(0, usable)), current };
}

/** One worker's cell: `w0 busy  <image>` / `w1 idle`, or `w0 ●` / `w1 ○` when narrow. */
export function workerCell(index: number, labelWidth: number, task: string | undefined, width: number): { label: string; state: string; task: string; busy: boolean } {
  const usable = width - 1;
  const label = `w${index}`.padEnd(labelWidth);
  const busy = task !== undefined;
  if (usable - labelWidth >= 6) {
    const room = usable - labelWidth - 6;
    const name = busy && room > 0 ? (task.length > room ? `${task.slice(0, Math.max(0, room - 1))}…` : task) : '';
    return { label, state: busy ? ' busy ' : ' idle', task: name, busy };
  }
  return { label, state: busy ? ' ●' : ' ○', task: '', busy };
}
