/**
 * The characters a terminal draws itself rather than from the font (as xterm.js, kitty and
 * iTerm2 do): box-drawing lines, block elements and braille dots. Drawn as shapes they fill the
 * cell exactly, so lines join across cells and rows, and bars and braille previews need no font.
 */

/** A cell's box: left, top, width, height in pixels. */
export interface CellBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A filled rectangle (opacity < 1 for the shades ░▒▓) or a dot. */
export type Shape = { kind: 'rect'; x: number; y: number; w: number; h: number; opacity: number } | { kind: 'dot'; x: number; y: number; r: number };

const rect = (x: number, y: number, w: number, h: number, opacity = 1): Shape => ({ kind: 'rect', x, y, w, h, opacity });

/** Box-drawing arms: [left, up, right, down], each 0 (none), 1 (light) or 2 (heavy). */
const BOX: Readonly<Record<string, readonly [number, number, number, number]>> = {
  '─': [1, 0, 1, 0], '━': [2, 0, 2, 0], '│': [0, 1, 0, 1], '┃': [0, 2, 0, 2],
  '┌': [0, 0, 1, 1], '┐': [1, 0, 0, 1], '└': [0, 1, 1, 0], '┘': [1, 1, 0, 0],
  '╭': [0, 0, 1, 1], '╮': [1, 0, 0, 1], '╰': [0, 1, 1, 0], '╯': [1, 1, 0, 0],
  '├': [0, 1, 1, 1], '┤': [1, 1, 0, 1], '┬': [1, 0, 1, 1], '┴': [1, 1, 1, 0], '┼': [1, 1, 1, 1],
  '╴': [1, 0, 0, 0], '╵': [0, 1, 0, 0], '╶': [0, 0, 1, 0], '╷': [0, 0, 0, 1],
  '╸': [2, 0, 0, 0], '╹': [0, 2, 0, 0], '╺': [0, 0, 2, 0], '╻': [0, 0, 0, 2],
  '╼': [1, 0, 2, 0], '╾': [2, 0, 1, 0],
};

function box(arms: readonly [number, number, number, number], { x, y, w, h }: CellBox): Shape[] {
  const light = Math.max(1, w / 8);
  const cx = x + w / 2;
  const cy = y + h / 2;
  const thick = (weight: number): number => (weight === 2 ? light * 2.5 : light);
  const [left, up, right, down] = arms;
  // Each arm runs from the centre to the edge; a half-stroke past the centre closes the corner.
  const out: Shape[] = [];
  const across = Math.max(up > 0 ? thick(up) : 0, down > 0 ? thick(down) : 0) / 2;
  const along = Math.max(left > 0 ? thick(left) : 0, right > 0 ? thick(right) : 0) / 2;
  if (left > 0) out.push(rect(x, cy - thick(left) / 2, w / 2 + across, thick(left)));
  if (right > 0) out.push(rect(cx - across, cy - thick(right) / 2, w / 2 + across, thick(right)));
  if (up > 0) out.push(rect(cx - thick(up) / 2, y, thick(up), h / 2 + along));
  if (down > 0) out.push(rect(cx - thick(down) / 2, cy - along, thick(down), h / 2 + along));
  return out;
}

/** Quadrants U+2596–U+259F as [upper left, upper right, lower left, lower right]. */
const QUADRANTS: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [1, 0, 1, 1], [1, 0, 0, 1],
  [1, 1, 1, 0], [1, 1, 0, 1], [0, 1, 0, 0], [0, 1, 1, 0], [0, 1, 1, 1],
];

function block(code: number, { x, y, w, h }: CellBox): Shape[] | undefined {
  if (code === 0x2580) return [rect(x, y, w, h / 2)];
  if (code >= 0x2581 && code <= 0x2588) {
    const part = (h * (code - 0x2580)) / 8;
    return [rect(x, y + h - part, w, part)];
  }
  if (code >= 0x2589 && code <= 0x258f) return [rect(x, y, (w * (0x2590 - code)) / 8, h)];
  if (code === 0x2590) return [rect(x + w / 2, y, w / 2, h)];
  if (code >= 0x2591 && code <= 0x2593) return [rect(x, y, w, h, (code - 0x2590) / 4)];
  if (code === 0x2594) return [rect(x, y, w, h / 8)];
  if (code === 0x2595) return [rect(x + (w * 7) / 8, y, w / 8, h)];
  const quadrant = QUADRANTS[code - 0x2596];
  if (quadrant === undefined) return undefined;
  const [ul, ur, ll, lr] = quadrant;
  const quarters: [number, Shape][] = [
    [ul, rect(x, y, w / 2, h / 2)],
    [ur, rect(x + w / 2, y, w / 2, h / 2)],
    [ll, rect(x, y + h / 2, w / 2, h / 2)],
    [lr, rect(x + w / 2, y + h / 2, w / 2, h / 2)],
  ];
  return quarters.filter(([on]) => on === 1).map(([, shape]) => shape);
}

/** Braille U+2800–U+28FF: bit i of the code's low byte is dot i+1 (dots 1–3 and 7 left, 4–6 and 8 right). */
const BRAILLE_DOTS: readonly (readonly [number, number])[] = [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2], [0, 3], [1, 3]];

function braille(code: number, { x, y, w, h }: CellBox): Shape[] {
  const bits = code - 0x2800;
  const r = Math.min(w / 4, h / 8) * 0.75;
  return BRAILLE_DOTS.filter((_, bit) => (bits >> bit) & 1).map(([column, row]) => ({ kind: 'dot', x: x + (w * (1 + 2 * column)) / 4, y: y + (h * (1 + 2 * row)) / 8, r }));
}

/** The shapes for `char` in `cell`, or undefined when the font draws it. */
export function glyphShapes(char: string, cell: CellBox): Shape[] | undefined {
  const arms = BOX[char];
  if (arms !== undefined) return box(arms, cell);
  const code = char.codePointAt(0) ?? 0;
  if (code >= 0x2580 && code <= 0x259f) return block(code, cell);
  // The blank braille pattern draws nothing, like a space.
  if (code >= 0x2800 && code <= 0x28ff) return braille(code, cell);
  return undefined;
}
