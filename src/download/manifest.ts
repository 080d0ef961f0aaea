/**
 * `manifest.jsonl` in the downloads folder: which URL became which complete file, so a later run
 * can reuse it without a request. Keys are redacted URLs (the file must never hold a secret).
 * One entry a line, appended and synced as each download completes (a 10,000-image run writes each
 * entry once, not the whole manifest each time); a later line for a URL replaces earlier ones, and
 * a torn last line (a crash mid-write) is ignored. Loading compacts the file when it holds more
 * than its entries, and takes over the `manifest.json` of earlier versions.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LineAppender, parseJson } from '../append-lines.js';
import { redactUrl } from '../secrets.js';
import { writeDurably } from '../write-durably.js';

export const MANIFEST_FILE = 'manifest.jsonl';

/** What earlier versions wrote instead: one JSON object of every entry, rewritten each time. */
const OLD_MANIFEST_FILE = 'manifest.json';

export interface ManifestEntry {
  /** File name inside the downloads folder. */
  file: string;
  bytes: number;
  sha256: string;
  etag?: string;
  lastModified?: string;
  /** ISO-8601. */
  completedAt: string;
}

export class Manifest {
  readonly #dir: string;
  readonly #entries: Map<string, ManifestEntry>;
  readonly #log: LineAppender;

  private constructor(dir: string, entries: Map<string, ManifestEntry>, startsMidLine: boolean) {
    this.#dir = dir;
    this.#entries = entries;
    this.#log = new LineAppender(join(dir, MANIFEST_FILE), { startsMidLine });
  }

  /**
   * The manifest of `dir`; empty when there is none yet or it is unreadable (it is only a cache).
   * Rewrites the file (durably) when it is not exactly one line per entry, and folds an old
   * `manifest.json` into it.
   */
  static async load(dir: string): Promise<Manifest> {
    const path = join(dir, MANIFEST_FILE);
    const text = await readOrUndefined(path);
    const old = await readOrUndefined(join(dir, OLD_MANIFEST_FILE));
    const entries = new Map([...parseOldManifest(old ?? ''), ...parseManifest(text ?? '')]);
    const compact = formatManifest(entries);
    if ((text === undefined || text === compact) && old === undefined) return new Manifest(dir, entries, false);
    try {
      await writeDurably(path, compact);
    } catch {
      // Still usable: later lines are appended to what is there, after a line break if it is torn.
      return new Manifest(dir, entries, text !== undefined && text !== '' && !text.endsWith('\n'));
    }
    // Only once its entries are safe in the new file; if it stays, the next load folds it in again.
    if (old !== undefined) await rm(join(dir, OLD_MANIFEST_FILE), { force: true }).catch(() => undefined);
    return new Manifest(dir, entries, false);
  }

  get(url: string): ManifestEntry | undefined {
    return this.#entries.get(redactUrl(url));
  }

  /** File names the manifest lists, for name collision checks. */
  files(): string[] {
    return [...this.#entries.values()].map((e) => e.file);
  }

  /**
   * The entry for `url` when its file is still there with the same size and SHA-256; undefined
   * otherwise (then the URL must be downloaded again).
   */
  async verified(url: string): Promise<ManifestEntry | undefined> {
    const entry = this.get(url);
    if (entry === undefined) return undefined;
    const path = join(this.#dir, entry.file);
    try {
      if ((await stat(path)).size !== entry.bytes) return undefined;
      return (await sha256File(path)) === entry.sha256 ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  /** Records `url` → `entry` and resolves once its line is on disk. */
  set(url: string, entry: ManifestEntry): Promise<void> {
    const key = redactUrl(url);
    this.#entries.set(key, entry);
    return this.#log.append(manifestLine(key, entry));
  }
}

/** One line of the manifest (without its line break). */
function manifestLine(url: string, entry: ManifestEntry): string {
  return JSON.stringify({ url, ...entry });
}

/** The compact manifest of `entries`: one line each. */
function formatManifest(entries: ReadonlyMap<string, ManifestEntry>): string {
  return [...entries].map(([url, entry]) => `${manifestLine(url, entry)}\n`).join('');
}

/**
 * The entries of a manifest's text, the last line for a URL winning. Lines that are not an entry
 * (torn by a crash, edited by hand, naming a path outside the folder) are left out. Keys are
 * redacted again, so a secret edited into the file by hand is dropped by the next compaction.
 */
export function parseManifest(text: string): Map<string, ManifestEntry> {
  const entries = new Map<string, ManifestEntry>();
  for (const line of text.split('\n')) {
    const value = parseJson(line);
    if (value === null || typeof value !== 'object') continue;
    const { url, ...entry } = value as { url?: unknown };
    if (typeof url === 'string' && isEntry(entry)) entries.set(redactUrl(url), entry);
  }
  return entries;
}

/** The entries of an old `manifest.json`: `{ [url]: entry }`. */
function parseOldManifest(text: string): Map<string, ManifestEntry> {
  const entries = new Map<string, ManifestEntry>();
  const parsed = parseJson(text);
  if (parsed === null || typeof parsed !== 'object') return entries;
  for (const [url, entry] of Object.entries(parsed)) {
    if (isEntry(entry)) entries.set(redactUrl(url), entry);
  }
  return entries;
}

async function readOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Hex SHA-256 of a file's bytes, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function isEntry(value: unknown): value is ManifestEntry {
  const e = value as Partial<ManifestEntry> | null;
  return (
    typeof e === 'object' && e !== null &&
    typeof e.file === 'string' && isPlainName(e.file) && typeof e.bytes === 'number' &&
    typeof e.sha256 === 'string' && typeof e.completedAt === 'string'
  );
}

/** A name inside the folder, never a path out of it (the manifest is read from disk, so checked). */
function isPlainName(file: string): boolean {
  return file.length > 0 && file === basename(file) && !file.includes('\\') && !file.startsWith('.');
}
