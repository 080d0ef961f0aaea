/** Where each part of the dashboard goes for a terminal size: pure, and never taller than the terminal. */
import { fitBraille } from './braille.js';

export interface PaneLayout {
  /** Beside the task list (wide terminals) or under it (tall, narrow ones). */
  placement: 'right' | 'below';
  width: number;
  height: number;
}

export interface DashboardLayout {
  /** Header lines: 3, or 1 on a very short terminal. */
  header: number;
  /** Core rows in the CPU panel (under its rule line); 0 hides the panel. */
  cpu: number;
  /** Lines of the list block: its rule line and the task rows (or the help panel). */
  listBlock: number;
  listWidth: number;
  /** The preview and histogram, when there is room. */
  pane?: PaneLayout;
  footer: number;
}

/** Width from which the preview and histogram sit to the right of the task list. */
export const WIDE = 120;
/** Height from which a narrow terminal shows the preview and histogram under the list. */
export const TALL = 36;
/** Width of a core's cell with bar, percent and a good length of history. */
const CORE_CELL = 48;

/**
 * Splits `width × height` (the lines add up to exactly `height`, or 0 for nothing). At 80×24:
 * 3 header lines, a CPU panel of up to 4 rows, the task list in the rest, one footer line.
 */
export function dashboardLayout(width: number, height: number, cores: number): DashboardLayout {
  const h = Math.max(0, Math.floor(height));
  const w = Math.max(0, Math.floor(width));
  const header = h >= 12 ? 3 : Math.min(1, h);
  const footer = h >= 10 ? 1 : 0;
  const cpuCap = h < 14 ? 0 : h < 20 ? 2 : h < 32 ? 4 : Math.min(8, Math.max(4, Math.floor(h / 6)));
  // Columns: as many as the cap needs, or as fit at CORE_CELL each (the panel gives the cores 58 %);
  // then as few lines as those columns allow (8 cores under a cap of 7 take 2 columns of 4).
  const columns = Math.max(Math.ceil(cores / Math.max(1, cpuCap)), Math.min(cores, Math.floor((w * 0.58) / CORE_CELL)));
  const cpu = cores > 0 && cpuCap > 0 ? Math.ceil(cores / columns) : 0;
  let listBlock = Math.max(0, h - header - footer - (cpu > 0 ? cpu + 1 : 0));
  let pane: PaneLayout | undefined;
  let listWidth = w;
  if (w >= WIDE && listBlock >= 8) {
    const paneWidth = Math.min(76, Math.max(44, Math.round(w * 0.36)));
    pane = { placement: 'right', width: paneWidth, height: listBlock };
    listWidth = w - paneWidth - 2;
  } else if (h >= TALL) {
    const paneHeight = Math.min(16, Math.max(10, Math.floor(h * 0.3)));
    pane = { placement: 'below', width: w, height: paneHeight };
    listBlock -= paneHeight;
  }
  return { header, cpu, listBlock, listWidth, ...(pane ? { pane } : {}), footer };
}

/** Task rows on screen for a terminal size: how far PgUp / PgDn move (`reduceView`'s `page`). */
export function pageSize(width: number, height: number, cores: number): number {
  return Math.max(1, dashboardLayout(width, height, cores).listBlock - 1);
}

/**
 * How the pane splits between the preview and the histogram (each including its rule line). Beside
 * the list, the preview takes the lines its picture wants (`pictureRows`, plus its rule and caption)
 * and the histogram, from 6 lines up, the rest; under the list they sit side by side.
 */
export function paneParts(pane: PaneLayout, pictureRows: number): { preview: { width: number; height: number }; histogram: { width: number; height: number } } {
  if (pane.placement === 'right') {
    const histogram = pane.height >= 14 ? Math.max(6, pane.height - (pictureRows + 2)) : 0;
    return { preview: { width: pane.width, height: pane.height - histogram }, histogram: { width: pane.width, height: histogram } };
  }
  const previewWidth = Math.ceil(pane.width * 0.55);
  return {
    preview: { width: previewWidth, height: pane.height },
    histogram: { width: pane.width - previewWidth - 2, height: pane.height },
  };
}

/** A grid of `count` cells in at most `rows` rows across `width` cells: columns and each cell's width. */
export function cellGrid(count: number, rows: number, width: number): { rows: number; columns: number; cellWidth: number } {
  const r = Math.max(1, Math.min(Math.max(0, count), Math.floor(rows)));
  const columns = Math.max(1, Math.ceil(count / r));
  return { rows: r, columns, cellWidth: Math.max(0, Math.floor(width / columns)) };
}

/**
 * The braille size for a thumbnail in a preview `width` wide with `rows` lines for the picture:
 * its aspect kept, at most twice its own resolution (more only blurs it into blocks).
 */
export function previewSize(thumb: { width: number; height: number }, width: number, rows: number): { cols: number; rows: number } {
  return fitBraille(thumb.width, thumb.height, Math.min(width - 2, thumb.width), Math.min(rows, Math.ceil(thumb.height / 2)));
}
