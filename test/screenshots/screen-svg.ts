/**
 * A terminal screen (cells with colours) as SVG, drawn the way a terminal draws it: a fixed grid
 * of cells, the 16 ANSI colours from Windows Terminal's default scheme (Campbell), box lines,
 * blocks and braille as shapes (glyphs.ts), the rest in DejaVu Sans Mono, one position a character
 * so that the grid holds whatever monospace font a viewer substitutes.
 */
import { glyphShapes, type Shape } from './glyphs.js';
import type { Cell, CellColour, Screen } from './replay.js';

/** Campbell: black, red, green, yellow, blue, magenta, cyan, white, then the bright eight. */
const ANSI = [
  '#0c0c0c', '#c50f1f', '#13a10e', '#c19c00', '#0037da', '#881798', '#3a96dd', '#cccccc',
  '#767676', '#e74856', '#16c60c', '#f9f1a5', '#3b78ff', '#b4009e', '#61d6d6', '#f2f2f2',
];
export const BACKGROUND = '#0c0c0c';
const FOREGROUND = '#cccccc';

/** Pixel sizes of a cell and the window around the grid. */
export const METRICS = { fontSize: 14, cellWidth: 8.4, lineHeight: 18, baseline: 13.5, padding: 14, titleBar: 30 } as const;
const FONT = "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace";

const hex = (value: number): string => `#${value.toString(16).padStart(6, '0')}`;

/** The 256-colour palette: 16 ANSI, a 6×6×6 cube, 24 greys (xterm's values). */
function paletteColour(index: number): string {
  if (index < 16) return ANSI[index]!;
  if (index >= 232) return hex(0x010101 * (8 + 10 * (index - 232)));
  const level = (step: number): number => (step === 0 ? 0 : 55 + 40 * step);
  const i = index - 16;
  return hex((level(Math.floor(i / 36)) << 16) | (level(Math.floor(i / 6) % 6) << 8) | level(i % 6));
}

function css(colour: CellColour, fallback: string): string {
  if (colour.kind === 'palette') return paletteColour(colour.index);
  if (colour.kind === 'rgb') return hex(colour.rgb);
  return fallback;
}

interface Style {
  fill: string;
  /** undefined: the window's background shows. */
  background: string | undefined;
  attributes: string;
}

function styleOf(cell: Cell): Style {
  let fill = css(cell.fg, FOREGROUND);
  let background = cell.bg.kind === 'default' ? undefined : css(cell.bg, BACKGROUND);
  if (cell.inverse) [fill, background] = [background ?? BACKGROUND, fill];
  const attributes = [
    cell.bold ? ' font-weight="bold"' : '',
    cell.italic ? ' font-style="italic"' : '',
    cell.underline ? ' text-decoration="underline"' : '',
    cell.dim ? ' opacity="0.5"' : '',
  ].join('');
  return { fill, background, attributes };
}

const escapeXml = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const n = (value: number): string => String(Math.round(value * 100) / 100);

/**
 * Shapes of one colour as SVG: rectangles that touch end to end merged (a rule of ─, a bar of █ is
 * one rectangle, so no seams show between cells), edges kept crisp; dots round.
 */
function shapesSvg(fill: string, shapes: readonly Shape[]): string {
  const rects: Extract<Shape, { kind: 'rect' }>[] = [];
  const dots: string[] = [];
  for (const shape of shapes) {
    if (shape.kind === 'dot') {
      dots.push(`<circle cx="${n(shape.x)}" cy="${n(shape.y)}" r="${n(shape.r)}"/>`);
      continue;
    }
    const last = rects.at(-1);
    if (last && last.y === shape.y && last.h === shape.h && last.opacity === shape.opacity && Math.abs(last.x + last.w - shape.x) < 0.01) {
      rects[rects.length - 1] = { ...last, w: shape.x + shape.w - last.x };
    } else {
      rects.push(shape);
    }
  }
  const rectSvg = rects
    .map((r) => `<rect x="${n(r.x)}" y="${n(r.y)}" width="${n(r.w)}" height="${n(r.h)}"${r.opacity < 1 ? ` opacity="${r.opacity}"` : ''}/>`)
    .join('');
  return [
    rectSvg === '' ? '' : `<g fill="${fill}" shape-rendering="crispEdges">${rectSvg}</g>`,
    dots.length === 0 ? '' : `<g fill="${fill}">${dots.join('')}</g>`,
  ].join('');
}

/** One row of cells as SVG elements, its top at y = 0 (place it with a transform). */
export function rowSvg(row: readonly Cell[]): string {
  const { cellWidth: w, lineHeight: h, baseline } = METRICS;
  const backgrounds: string[] = [];
  const shapes = new Map<string, Shape[]>();
  const texts: string[] = [];
  let run: { style: Style; key: string; xs: number[]; chars: string } | undefined;
  const flush = (): void => {
    if (run === undefined) return;
    texts.push(`<text x="${run.xs.map(n).join(' ')}" y="${baseline}" fill="${run.style.fill}"${run.style.attributes}>${escapeXml(run.chars)}</text>`);
    run = undefined;
  };
  let background: { colour: string; from: number; to: number } | undefined;
  const flushBackground = (): void => {
    if (background) backgrounds.push(`<rect x="${n(background.from * w)}" width="${n((background.to - background.from) * w)}" height="${h}" fill="${background.colour}"/>`);
    background = undefined;
  };
  row.forEach((cell, column) => {
    const style = styleOf(cell);
    if (style.background !== background?.colour || background?.to !== column) flushBackground();
    if (style.background !== undefined) {
      background ??= { colour: style.background, from: column, to: column };
      background.to = column + 1;
    }
    if (cell.char === '' || cell.char === ' ') return flush();
    const shape = glyphShapes(cell.char, { x: column * w, y: 0, w, h });
    if (shape !== undefined) {
      flush();
      // Dim shapes are the colour at half strength, as dim text is.
      const fill = cell.dim ? `${style.fill}80` : style.fill;
      shapes.set(fill, [...(shapes.get(fill) ?? []), ...shape]);
      return;
    }
    const key = `${style.fill}${style.attributes}`;
    if (run?.key !== key) {
      flush();
      run = { style, key, xs: [], chars: '' };
    }
    run.xs.push(column * w);
    run.chars += cell.char;
  });
  flush();
  flushBackground();
  return backgrounds.join('') + [...shapes].map(([fill, list]) => shapesSvg(fill, list)).join('') + texts.join('');
}

/** The window's size in pixels for a grid of `columns`×`rows`. */
export function windowSize(columns: number, rows: number): { width: number; height: number } {
  const { cellWidth, lineHeight, padding, titleBar } = METRICS;
  return { width: Math.ceil(columns * cellWidth + 2 * padding), height: Math.ceil(rows * lineHeight + 2 * padding + titleBar) };
}

/** The window: rounded, dark, a title bar with its three buttons and `title`; `content` goes in the grid. */
export function windowSvg(columns: number, rows: number, title: string, content: string, extra = ''): string {
  const { width, height } = windowSize(columns, rows);
  const { padding, titleBar, fontSize } = METRICS;
  const buttons = ['#ff5f56', '#ffbd2e', '#27c93f'].map((fill, i) => `<circle cx="${20 + i * 20}" cy="${titleBar / 2 + 2}" r="6" fill="${fill}"/>`).join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    extra,
    `<rect width="${width}" height="${height}" rx="8" fill="${BACKGROUND}"/>`,
    buttons,
    `<text x="${width / 2}" y="${titleBar / 2 + 6}" fill="#767676" font-family="${FONT}" font-size="${fontSize - 1}" text-anchor="middle">${escapeXml(title)}</text>`,
    `<g transform="translate(${padding} ${padding + titleBar})" font-family="${FONT}" font-size="${fontSize}" xml:space="preserve">`,
    content,
    '</g></svg>',
  ].join('');
}

/** One screen as a still SVG. */
export function screenSvg(screen: Screen, title: string): string {
  const rows = screen.cells.map((row, y) => {
    const body = rowSvg(row);
    return body === '' ? '' : `<g transform="translate(0 ${y * METRICS.lineHeight})">${body}</g>`;
  });
  return windowSvg(screen.columns, screen.rows, title, rows.join(''));
}
