/**
 * `--record FILE`: an asciicast v2 of exactly what stardash writes to the terminal (the dashboard's
 * frames, then the summary), playable by `asciinema play`. The first line is a JSON header with the
 * terminal's size; each further line is an event `[seconds, "o", text]` (output) or
 * `[seconds, "r", "WxH"]` (resize). https://docs.asciinema.org/manual/asciicast/v2/
 *
 * Written line by line with synchronous writes to `FILE.part`, renamed to FILE by `close()`: a
 * recording cut short by a crash never carries the final name, and a second Ctrl-C (which exits at
 * once) loses nothing that was drawn.
 */
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  /** Unix time of the start, in seconds. */
  timestamp: number;
  env: { TERM?: string; SHELL?: string };
}

export interface RecorderOptions {
  width: number;
  height: number;
  /** Milliseconds on a monotonic clock: event times are measured from the first reading. @default performance.now */
  clock?: () => number;
  /** Wall-clock milliseconds, for the header's timestamp. @default Date.now */
  wallClock?: () => number;
  /** Where TERM and SHELL are read for the header. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Why a recording cannot be made: `E_RECORD_NO_TTY` or `E_RECORD_FILE`. */
export class RecordError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RecordError';
    this.code = code;
  }
}

/** The header line (no newline). */
export function castHeaderLine(header: CastHeader): string {
  return JSON.stringify(header);
}

/** One event line (no newline): time in seconds, to the microsecond as asciinema writes it. */
export function castEventLine(seconds: number, kind: 'o' | 'r', data: string): string {
  return JSON.stringify([Math.round(seconds * 1e6) / 1e6, kind, data]);
}

/** A terminal's output post-processing (`onlcr`) turns LF into CR LF; asciinema records after it, so do we. */
export function terminalBytes(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

export class CastRecorder {
  readonly file: string;
  readonly #fd: number;
  readonly #clock: () => number;
  readonly #start: number;
  readonly #decoder = new StringDecoder('utf8');
  #last = 0;
  #closed = false;

  /** Creates `file.part` and writes the header; throws a RecordError (`E_RECORD_FILE`) if it cannot. */
  constructor(file: string, options: RecorderOptions) {
    this.file = file;
    this.#clock = options.clock ?? (() => performance.now());
    const env = options.env ?? process.env;
    try {
      this.#fd = openSync(`${file}.part`, 'w');
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
      throw new RecordError('E_RECORD_FILE', `cannot write the recording ${file}.part (${code}): give --record a file in a folder that exists and can be written.`, { cause });
    }
    this.#start = this.#clock();
    const header: CastHeader = {
      version: 2,
      width: options.width,
      height: options.height,
      timestamp: Math.floor((options.wallClock ?? Date.now)() / 1000),
      env: {
        ...(env['TERM'] === undefined ? {} : { TERM: env['TERM'] }),
        ...(env['SHELL'] === undefined ? {} : { SHELL: env['SHELL'] }),
      },
    };
    this.#line(castHeaderLine(header));
  }

  /** Records text (or bytes) written to the terminal. */
  output(chunk: string | Uint8Array): void {
    const text = typeof chunk === 'string' ? chunk : this.#decoder.write(Buffer.from(chunk));
    if (text !== '') this.#event('o', terminalBytes(text));
  }

  /** Records that the terminal is now `width`×`height`. */
  resize(width: number, height: number): void {
    this.#event('r', `${width}x${height}`);
  }

  /** Finishes the file and gives it its final name. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      closeSync(this.#fd);
    } finally {
      renameSync(`${this.file}.part`, this.file);
    }
  }

  #event(kind: 'o' | 'r', data: string): void {
    if (this.#closed) return;
    // Never backwards, whatever the clock does: players expect times in order.
    this.#last = Math.max(this.#last, (this.#clock() - this.#start) / 1000);
    this.#line(castEventLine(this.#last, kind, data));
  }

  #line(text: string): void {
    writeSync(this.#fd, `${text}\n`);
  }
}

/**
 * The terminal stream as Ink and the CLI see it, with every write also recorded. Everything else
 * (isTTY, columns, rows, 'resize' listeners, cursor methods) is the terminal's own.
 */
export function recordedStream(stream: NodeJS.WriteStream, recorder: CastRecorder): NodeJS.WriteStream {
  const write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    recorder.output(chunk);
    return (stream.write as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean)(chunk, ...rest);
  };
  return new Proxy(stream, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      // Methods run on the real stream: Node's stream internals expect `this` to be it.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The streams a command writes to, as `startRecording` needs them. */
export interface TerminalIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface Recording<T extends TerminalIo> {
  /** `io` with stdout (and stderr, when it is the terminal too) recorded. */
  io: T;
  /** Stops recording and renames the file; safe to call twice. */
  close(): void;
}

/** Throws startRecording's `E_RECORD_NO_TTY` RecordError when stdout is not a terminal: a run checks it before it touches --out. */
export function checkRecordable(io: TerminalIo): void {
  if ((io.stdout as NodeJS.WriteStream).isTTY !== true) {
    throw new RecordError('E_RECORD_NO_TTY', `--record needs a terminal, and stdout is not one (a pipe or a file already holds everything stardash writes): run it on a terminal, or leave --record out.`);
  }
}

/**
 * Starts recording what `io` writes to the terminal into `file`. Throws a RecordError:
 * `E_RECORD_NO_TTY` when stdout is not a terminal (there is no screen to record: a pipe or a file
 * already holds every byte), `E_RECORD_FILE` when the file cannot be created.
 */
export function startRecording<T extends TerminalIo>(file: string, io: T, options: Omit<RecorderOptions, 'width' | 'height'> = {}): Recording<T> {
  checkRecordable(io);
  const stdout = io.stdout as NodeJS.WriteStream;
  const recorder = new CastRecorder(file, { ...options, width: stdout.columns || 80, height: stdout.rows || 24 });
  const onResize = (): void => recorder.resize(stdout.columns, stdout.rows);
  stdout.on('resize', onResize);
  const stderr = io.stderr as NodeJS.WriteStream;
  return {
    io: {
      ...io,
      stdout: recordedStream(stdout, recorder),
      // stderr shows on the same screen when it is a terminal too, and asciinema would record it.
      stderr: stderr.isTTY === true ? recordedStream(stderr, recorder) : io.stderr,
    },
    close() {
      stdout.off('resize', onResize);
      recorder.close();
    },
  };
}
