/**
 * Screens played in time as one animated SVG, with no script: every distinct row is defined once,
 * each frame is a column of <use> references, the frames stand side by side on a film strip, and
 * one CSS animation moves the strip a frame's width at each frame's time (step-end holds a frame
 * until the next). Browsers play it in an <img>, as GitHub shows a README's pictures.
 */
import { METRICS, rowSvg, windowSvg } from './screen-svg.js';
import type { Screen } from './replay.js';

export interface Frame {
  /** Each row of the screen drawn (rowSvg): kept as text, a long run's screens take little memory. */
  rows: readonly string[];
  /** How long it shows, in seconds. */
  seconds: number;
}

/** A screen as a frame of the animation. */
export function frameOf(screen: Screen, seconds: number): Frame {
  return { rows: screen.cells.map((row) => rowSvg(row)), seconds };
}

/** Frames in order, a frame that repeats the one before it merged into it. */
export function mergeRepeats(frames: readonly Frame[]): Frame[] {
  const merged: Frame[] = [];
  for (const frame of frames) {
    const last = merged.at(-1);
    if (last !== undefined && last.rows.join('\n') === frame.rows.join('\n')) merged[merged.length - 1] = { ...last, seconds: last.seconds + frame.seconds };
    else merged.push(frame);
  }
  return merged;
}

/** `frames` (of a `columns`×`rows` terminal) played in order, then again from the start. */
export function animatedSvg(frames: readonly Frame[], columns: number, rows: number, title: string): string {
  if (frames.length === 0) throw new Error('animatedSvg needs at least one frame');
  const width = Math.ceil(columns * METRICS.cellWidth);
  const height = rows * METRICS.lineHeight;
  const ids = new Map<string, string>();
  const strip = frames.map((frame, index) => {
    const uses = frame.rows.map((body, y) => {
      if (body === '') return '';
      let id = ids.get(body);
      if (id === undefined) {
        id = `r${ids.size.toString(36)}`;
        ids.set(body, id);
      }
      return `<use href="#${id}" y="${y * METRICS.lineHeight}"/>`;
    });
    return `<g transform="translate(${index * width} 0)">${uses.join('')}</g>`;
  });
  const total = frames.reduce((sum, frame) => sum + frame.seconds, 0);
  let elapsed = 0;
  const keyframes = frames.map((frame, index) => {
    const at = (100 * elapsed) / total;
    elapsed += frame.seconds;
    return `${Math.round(at * 1000) / 1000}%{transform:translateX(${-index * width}px)}`;
  });
  const defs = [...ids].map(([body, id]) => `<g id="${id}">${body}</g>`).join('');
  const style = `<style>@keyframes film{${keyframes.join('')}}.film{animation:film ${Math.round(total * 1000) / 1000}s step-end infinite}</style>`;
  const content = `<svg width="${width}" height="${height}" overflow="hidden"><defs>${defs}</defs><g class="film">${strip.join('')}</g></svg>`;
  return windowSvg(columns, rows, title, content, style);
}
