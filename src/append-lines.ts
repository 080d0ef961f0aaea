import { open } from 'node:fs/promises';

/** Options of a LineAppender. */
export interface LineAppenderOptions {
  /**
   * The file may end inside a line (a torn write of an earlier process that could not be cleaned
   * up): the first write then starts with a line break, so no appended line is glued to it.
   * @default false
   */
  startsMidLine?: boolean;
}

/**
 * Appends lines to a file; each `append()` resolves once its line is written and synced to disk.
 * Lines that arrive while a write is under way go out together in the next one (one sync for many
 * lines), so the cost of a line does not depend on how big the file already is. A failed write
 * rejects the appends it carried and does not stop later ones.
 */
export class LineAppender {
  readonly #path: string;
  #pending: string[] = [];
  /** The write collecting `#pending`, not started yet. */
  #next: Promise<void> | undefined;
  /** The last write, settled or not: the next one waits for it. */
  #tail: Promise<void> = Promise.resolve();
  #midLine: boolean;

  constructor(path: string, options: LineAppenderOptions = {}) {
    this.#path = path;
    this.#midLine = options.startsMidLine ?? false;
  }

  /** Appends `line` (which must not hold a line break) and resolves once it is on disk. */
  append(line: string): Promise<void> {
    this.#pending.push(`${line}\n`);
    if (this.#next === undefined) {
      const write = this.#tail.then(() => this.#write());
      this.#next = write;
      this.#tail = write.catch(() => undefined);
    }
    return this.#next;
  }

  async #write(): Promise<void> {
    const text = (this.#midLine ? '\n' : '') + this.#pending.join('');
    this.#pending = [];
    this.#next = undefined;
    // Until this write is known whole, the file may end inside a line (out of space, a crash).
    this.#midLine = true;
    const file = await open(this.#path, 'a');
    try {
      await file.appendFile(text, 'utf8');
      await file.datasync();
    } finally {
      await file.close();
    }
    this.#midLine = false;
  }
}

/** The value of a JSON text (a JSON Lines file's line), or undefined when it is not JSON (torn by a crash, edited by hand). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
