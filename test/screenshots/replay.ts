/**
 * Plays an asciicast into a headless terminal emulator (xterm.js, the emulator of VS Code's
 * terminal) and reads its screen back, cell by cell with colours, as a player would show it.
 */
import xterm from '@xterm/headless';
import type { Cast } from '../helpers/asciicast.js';

/** A colour as the terminal holds it: the default, an index in the 256-colour palette, or 0xRRGGBB. */
export type CellColour = { kind: 'default' } | { kind: 'palette'; index: number } | { kind: 'rgb'; rgb: number };

export interface Cell {
  /** The character ('' for the right half of a wide one; ' ' for an empty cell). */
  char: string;
  fg: CellColour;
  bg: CellColour;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
  inverse: boolean;
}

export interface Screen {
  columns: number;
  rows: number;
  /** rows × columns cells. */
  cells: Cell[][];
  /** The time of the cast this screen shows, in seconds. */
  time: number;
}

/** The screen as plain text, one line a row, trailing blanks trimmed. */
export function screenText(screen: Screen): string {
  return screen.cells.map((row) => row.map((cell) => cell.char).join('').trimEnd()).join('\n');
}

function colour(mode: 'Fg' | 'Bg', cell: xterm.IBufferCell): CellColour {
  if (cell[`is${mode}Palette`]()) return { kind: 'palette', index: cell[`get${mode}Color`]() };
  if (cell[`is${mode}RGB`]()) return { kind: 'rgb', rgb: cell[`get${mode}Color`]() };
  return { kind: 'default' };
}

/** Plays a cast forward: `playTo(seconds)` applies every event up to that time and returns the screen. */
export class CastPlayer {
  readonly #terminal: xterm.Terminal;
  readonly #events: Cast['events'];
  #next = 0;
  #time = 0;

  constructor(cast: Cast) {
    this.#terminal = new xterm.Terminal({ cols: cast.header.width, rows: cast.header.height, scrollback: 0, allowProposedApi: true });
    this.#events = cast.events;
  }

  /** When the last event happens, in seconds. */
  get duration(): number {
    return this.#events.at(-1)?.[0] ?? 0;
  }

  /** Plays forward to `seconds`; a time before the last one asked for is an error (a player cannot rewind). */
  async playTo(seconds: number): Promise<Screen> {
    if (seconds < this.#time) throw new RangeError(`cannot play back to ${seconds} s: already at ${this.#time} s; use a new CastPlayer`);
    let pending = '';
    const flush = async (): Promise<void> => {
      if (pending === '') return;
      const data = pending;
      pending = '';
      await new Promise<void>((resolve) => this.#terminal.write(data, resolve));
    };
    for (; this.#next < this.#events.length; this.#next++) {
      const [time, code, data] = this.#events[this.#next]!;
      if (time > seconds) break;
      if (code === 'o') pending += data;
      if (code === 'r') {
        await flush();
        const [width, height] = data.split('x').map(Number);
        this.#terminal.resize(width!, height!);
      }
    }
    await flush();
    this.#time = Math.max(this.#time, seconds);
    return this.screen();
  }

  /** The screen as it is now. */
  screen(): Screen {
    const buffer = this.#terminal.buffer.active;
    const cells: Cell[][] = [];
    let cell: xterm.IBufferCell | undefined;
    for (let y = 0; y < this.#terminal.rows; y++) {
      const line = buffer.getLine(buffer.viewportY + y);
      const row: Cell[] = [];
      for (let x = 0; x < this.#terminal.cols; x++) {
        cell = line?.getCell(x, cell);
        if (cell === undefined) {
          row.push({ char: ' ', fg: { kind: 'default' }, bg: { kind: 'default' }, bold: false, dim: false, italic: false, underline: false, inverse: false });
          continue;
        }
        row.push({
          char: cell.getWidth() === 0 ? '' : cell.getChars() || ' ',
          fg: colour('Fg', cell),
          bg: colour('Bg', cell),
          bold: cell.isBold() !== 0,
          dim: cell.isDim() !== 0,
          italic: cell.isItalic() !== 0,
          underline: cell.isUnderline() !== 0,
          inverse: cell.isInverse() !== 0,
        });
      }
      cells.push(row);
    }
    return { columns: this.#terminal.cols, rows: this.#terminal.rows, cells, time: this.#time };
  }

  dispose(): void {
    this.#terminal.dispose();
  }
}
