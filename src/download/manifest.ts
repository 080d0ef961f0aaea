/**
 * `manifest.json` in the downloads folder: which URL became which complete file, so a later run
 * can reuse it without a request. Keys are redacted URLs (the file must never hold a secret).
 * Writes are atomic (temp file, fsync, rename) and serialised: each write stores the latest state,
 * so many downloads finishing at once lose no entry.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { redactUrl } from '../secrets.js';
import { writeDurably } from '../write-durably.js';

export const MANIFEST_FILE = 'manifest.json';

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
  #writing: Promise<void> = Promise.resolve();

  private constructor(dir: string, entries: Map<string, ManifestEntry>) {
    this.#dir = dir;
    this.#entries = entries;
  }

  /** The manifest of `dir`; empty when there is none yet or it is unreadable (it is only a cache). */
  static async load(dir: string): Promise<Manifest> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
    } catch {
      return new Manifest(dir, new Map());
    }
    const entries = new Map<string, ManifestEntry>();
    if (parsed !== null && typeof parsed === 'object') {
      for (const [url, entry] of Object.entries(parsed)) {
        if (isEntry(entry)) entries.set(url, entry);
      }
    }
    return new Manifest(dir, entries);
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

  /** Records `url` → `entry` and resolves once a manifest holding it is on disk. */
  set(url: string, entry: ManifestEntry): Promise<void> {
    this.#entries.set(redactUrl(url), entry);
    const write = this.#writing.then(() => this.#write());
    // A failed write must not stop later ones; the caller still hears about it.
    this.#writing = write.catch(() => undefined);
    return write;
  }

  #write(): Promise<void> {
    return writeDurably(join(this.#dir, MANIFEST_FILE), `${JSON.stringify(Object.fromEntries(this.#entries), null, 2)}\n`);
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
