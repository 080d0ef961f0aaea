/**
 * `run.jsonl` in the output folder: the run's journal, what `--resume` reads. Its first line says
 * what the run was (command, detector and parameters); then one line per finished image, appended
 * (and synced to disk) as each finishes, so a run killed outright (a second Ctrl-C, SIGKILL, a
 * crash) still leaves the record of everything it finished. A torn last line is ignored.
 */
import { readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import type { AnalysisResult, DownloadedFile, RestoredTask } from '../orchestrator/events.js';
import type { TaskState } from '../orchestrator/state.js';
import { starThumbnail } from '../analysis/thumbnail.js';
import { LineAppender, parseJson } from '../append-lines.js';
import { writeDurably } from '../write-durably.js';

export const JOURNAL_FILE = 'run.jsonl';

/** The journal's first line. */
export interface JournalHeader {
  type: 'run';
  /** This file's layout; a later stardash that changes it changes this. */
  format: 1;
  version: string;
  command: string;
  detector: { name: string; params: Readonly<Record<string, number | boolean>> };
  startedAt: string;
}

/** One finished image. Paths of downloads are relative to the output folder, so it can move. */
export interface JournalEntry {
  type: 'done';
  /** TaskState.key: how the next run recognises the image. */
  key: string;
  id: string;
  /** The input path, or the download relative to the output folder (`downloads/…`). */
  file: string;
  download?: DownloadedFile;
  /** The analysis, without its thumbnail (the stars are enough to draw one again). */
  result: Omit<AnalysisResult, 'thumbnail'>;
}

/**
 * The journal entry of a done task with its analysis (the event's: the run state keeps no stars),
 * or undefined when the task has no key (nothing could match it).
 */
export function journalEntry(task: TaskState, analysis: AnalysisResult, out: string): JournalEntry | undefined {
  if (task.status !== 'done' || task.key === undefined) return undefined;
  const { thumbnail: _thumbnail, ...result } = analysis;
  const download = task.download ? { ...task.download, file: relative(out, task.download.file) } : undefined;
  return {
    type: 'done',
    key: task.key,
    id: task.id,
    file: download ? download.file : task.file,
    ...(download ? { download } : {}),
    result,
  };
}

/** What the orchestrator needs to carry an entry over into a run writing to `out`. */
export function restoredTask(entry: JournalEntry, out: string): RestoredTask {
  const { truth, ...analysis } = entry.result;
  // Earlier versions journalled only stars and found: without what the other detections matched,
  // the truth would be told by halves, so it is left out.
  const whole = truth && typeof truth.faintFound === 'number' && typeof truth.spurious === 'number';
  const result = { ...analysis, ...(whole ? { truth } : {}), thumbnail: starThumbnail(analysis, analysis.keypoints) };
  if (!entry.download) return { file: entry.file, result };
  const file = join(out, entry.download.file);
  return { file, download: { ...entry.download, file }, result };
}

/** The journal in `out`, or undefined when there is none or its first line is not a journal's. */
export async function readJournal(out: string): Promise<{ header: JournalHeader; entries: JournalEntry[] } | undefined> {
  let text: string;
  try {
    text = await readFile(join(out, JOURNAL_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const [first, ...rest] = text.split('\n');
  const header = parseJson(first ?? '');
  if (!isHeader(header)) return undefined;
  const entries = rest.map(parseJson).filter(isEntry);
  return { header, entries };
}

/**
 * Appends finished images to the journal, each line synced (LineAppender: lines queued while a
 * write is under way go out together). A failed write does not stop the run: `close()` says what
 * went wrong first, and a later `--resume` just redoes what is missing.
 */
export class JournalWriter {
  readonly #log: LineAppender;
  /** The newest append: appends are written in order, so it settles after every earlier one. */
  #last: Promise<void> = Promise.resolve();
  #error: NodeJS.ErrnoException | undefined;
  #closed = false;

  private constructor(path: string) {
    this.#log = new LineAppender(path);
  }

  /** Starts the journal of a run in `out`: its header, then `carried` (what it resumes), on disk before it resolves. */
  static async start(out: string, header: JournalHeader, carried: readonly JournalEntry[] = []): Promise<JournalWriter> {
    const target = join(out, JOURNAL_FILE);
    await writeDurably(target, [header, ...carried].map((line) => `${JSON.stringify(line)}\n`).join(''));
    return new JournalWriter(target);
  }

  /** Resolves true once `entry` is on disk, false when it could not be written (never rejects). */
  append(entry: JournalEntry): Promise<boolean> {
    if (this.#closed) return Promise.resolve(false);
    const written = this.#log.append(JSON.stringify(entry)).then(
      () => true,
      (error: unknown) => {
        this.#error ??= error as NodeJS.ErrnoException;
        return false;
      },
    );
    this.#last = written.then(() => undefined);
    return written;
  }

  /** Waits for what is queued; resolves with the first write error, if any. */
  async close(): Promise<NodeJS.ErrnoException | undefined> {
    this.#closed = true;
    await this.#last;
    return this.#error;
  }
}

function isHeader(value: unknown): value is JournalHeader {
  const h = value as Partial<JournalHeader> | null | undefined;
  return (
    typeof h === 'object' && h !== null && h.type === 'run' && h.format === 1 && typeof h.command === 'string' &&
    typeof h.detector === 'object' && h.detector !== null && typeof h.detector.name === 'string' &&
    typeof h.detector.params === 'object' && h.detector.params !== null
  );
}

/** The file is read from disk: paths must stay inside the output folder's own subfolders. */
function isEntry(value: unknown): value is JournalEntry {
  const e = value as Partial<JournalEntry> | null | undefined;
  if (typeof e !== 'object' || e === null || e.type !== 'done' || typeof e.key !== 'string' || typeof e.id !== 'string') return false;
  if (typeof e.file !== 'string') return false;
  const r = e.result;
  if (typeof r !== 'object' || r === null || !inFolder(r.processed, 'processed') || !Array.isArray(r.keypoints)) return false;
  if (!r.keypoints.every((k) => typeof k?.x === 'number' && typeof k.y === 'number' && typeof k.size === 'number')) return false;
  if (typeof r.width !== 'number' || typeof r.height !== 'number' || typeof r.bytes !== 'number') return false;
  return e.download === undefined || (typeof e.download === 'object' && e.download !== null && inFolder(e.download.file, 'downloads'));
}

function inFolder(path: unknown, folder: string): boolean {
  if (typeof path !== 'string') return false;
  const name = basename(path);
  return path === join(folder, name) && name !== '' && !name.startsWith('.');
}
