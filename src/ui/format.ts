/** Pure text formatting for the dashboard: durations, sizes, rates, counts, bars and fitting. */
import stringWidth from 'string-width';

/** A short human duration: `340 ms`, `1.5 s`, `42 s`, `3m 05s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad2(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${pad2(Math.floor(s / 60) % 60)}m`;
}

/** A clock: `00:42`, `12:03`, `1:02:03`. Unknown or negative → `--:--`. */
export function formatClock(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '--:--';
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor(s / 60) % 60;
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s % 60)}` : `${pad2(m)}:${pad2(s % 60)}`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Binary sizes, three significant figures at most: `512 B`, `1.2 KiB`, `34.5 MiB`, `120 MiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  // 1023.9 KiB would print as "1024 KiB": move up a unit instead.
  if (value >= 999.5 && unit < UNITS.length - 1) return `${(value / 1024).toFixed(1)} ${UNITS[unit + 1]}`;
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${UNITS[unit]}`;
}

/** Bytes per second: `820 KiB/s`. */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** An integer with thousands separators, independent of the locale: `10,000`. */
export function formatCount(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A count and its noun, singular for one: `1 star`, `1,204 stars`. */
export function formatCounted(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** A per-second rate with sensible precision: `0.35`, `4.2`, `120`. */
export function formatPerSecond(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '0';
  if (perSecond < 1) return perSecond.toFixed(2);
  if (perSecond < 100) return perSecond.toFixed(1);
  return formatCount(perSecond);
}

/** Whole percent, clamped to 0–100: `62%`. */
export function formatPercent(fraction: number): string {
  return `${Math.round(clamp01(fraction) * 100)}%`;
}

/**
 * The time left at the pace so far: `elapsed × remaining / settled`. Undefined before anything
 * settled (no pace yet); 0 once everything has.
 */
export function estimateEta(elapsedMs: number, settled: number, total: number): number | undefined {
  if (total > 0 && settled >= total) return 0;
  if (settled <= 0 || elapsedMs <= 0) return undefined;
  return (elapsedMs * (total - settled)) / settled;
}

/** Glyphs of a bar: the filled cell, partial cells from the smallest up, and the empty cell. */
export interface BarGlyphs {
  full: string;
  partial: readonly string[];
  empty: string;
}

/** A solid block bar with eighth-cell precision: `█████▍░░░`. */
export const BLOCK_BAR: BarGlyphs = { full: '█', partial: ['▏', '▎', '▍', '▌', '▋', '▊', '▉'], empty: '░' };

/** A thin line bar with half-cell precision: `━━━━╸────`. */
export const LINE_BAR: BarGlyphs = { full: '━', partial: ['╸'], empty: '─' };

/** A bar split into its filled part (with any partial cell) and its empty part, `width` cells together. */
export function barParts(fraction: number, width: number, glyphs: BarGlyphs = BLOCK_BAR): { fill: string; rest: string } {
  const cells = Math.max(0, Math.floor(width));
  const steps = glyphs.partial.length + 1;
  const units = Math.round(clamp01(fraction) * cells * steps);
  const full = Math.floor(units / steps);
  const part = units % steps;
  const fill = glyphs.full.repeat(full) + (part > 0 ? glyphs.partial[part - 1]! : '');
  const used = full + (part > 0 ? 1 : 0);
  return { fill, rest: glyphs.empty.repeat(cells - used) };
}

/** A progress bar of exactly `width` cells. */
export function progressBar(fraction: number, width: number, glyphs: BarGlyphs = BLOCK_BAR): string {
  const { fill, rest } = barParts(fraction, width, glyphs);
  return fill + rest;
}

const graphemes = new Intl.Segmenter();

const widths = new Map<string, number>();

/**
 * Terminal cells `text` takes (string-width), remembered: rows are measured every frame and most
 * of their pieces (bars, labels, names) recur, while string-width segments every text that is not
 * plain ASCII. Forgets everything past 4,096 texts.
 */
export function cellWidth(text: string): number {
  let width = widths.get(text);
  if (width === undefined) {
    if (widths.size >= 4096) widths.clear();
    width = stringWidth(text);
    widths.set(text, width);
  }
  return width;
}

/**
 * `text` in exactly `width` terminal cells: cut with `…` when wider, padded with spaces when
 * narrower (at the end, or at the start with `align: 'right'`). Wide characters (CJK, emoji) count
 * two cells, so a row of names from anywhere lines up, and Ink never has to truncate it.
 */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const w = Math.max(0, Math.floor(width));
  const cells = cellWidth(text);
  if (cells <= w) return align === 'left' ? text + ' '.repeat(w - cells) : ' '.repeat(w - cells) + text;
  if (w === 0) return '';
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = cellWidth(segment);
    if (used + size > w - 1) break;
    kept += segment;
    used += size;
  }
  const cut = `${kept}…`;
  return align === 'left' ? cut + ' '.repeat(w - 1 - used) : ' '.repeat(w - 1 - used) + cut;
}

export function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
