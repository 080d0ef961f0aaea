/**
 * The download layer: streams images to `dir/NAME.part`, checks them, renames complete ones to
 * their final name and records them in the manifest; limits concurrency overall and per host,
 * retries transient failures with backoff, and pauses, resumes and cancels on request.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { readdir, rename, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import defaultGot, { type Got } from 'got';
import { fetchToFile } from './attempt.js';
import { diskProblem, errnoOf, makeFolder } from '../disk-errors.js';
import { abortedError, DownloadError, toDownloadError } from './errors.js';
import { EXTENSIONS, type ImageKind } from './image-kind.js';
import { Slots } from './limiter.js';
import { linkedSignal } from '../linked-signal.js';
import { Manifest } from './manifest.js';
import { downloadName, partName } from './naming.js';
import { PauseGate } from './pause-gate.js';
import { redactUrl } from '../secrets.js';
import { retryDelay, shouldRetry } from './retry-policy.js';
import type { DownloadEvent, DownloadRequest, DownloadResult } from './types.js';

export interface DownloaderOptions {
  /** The downloads folder; created (recursively) on first use. */
  dir: string;
  /** Downloads at once, overall. @default 8 */
  concurrency?: number;
  /** Downloads at once per host (host:port). @default 4 */
  perHost?: number;
  /** Further requests after a transient failure. @default 3 */
  retries?: number;
  /** Connect timeout and idle (no data) timeout, in ms. @default 30000 */
  timeoutMs?: number;
  /** Largest body accepted, in bytes. @default 500 MiB */
  maxBytes?: number;
  /** The HTTP client. @default got */
  got?: Got;
  /** Waits between attempts; rejects when the signal aborts. @default a real timer (kept referenced: a pending retry is work to finish) */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
  /** Clock in ms since the epoch. @default Date.now */
  now?: () => number;
}

interface Folder {
  manifest: Manifest;
  /** Lower-cased names present in the folder or chosen in this run. */
  taken: Set<string>;
}

export class Downloader {
  readonly dir: string;
  readonly #options: Required<Omit<DownloaderOptions, 'dir'>>;
  readonly #gate = new PauseGate();
  readonly #slots: Slots;
  readonly #closer = new AbortController();
  readonly #active = new Set<Promise<unknown>>();
  #folder: Promise<Folder> | undefined;
  #order = 0;

  constructor(options: DownloaderOptions) {
    this.dir = resolve(options.dir);
    this.#options = {
      concurrency: positive('concurrency', options.concurrency ?? 8),
      perHost: positive('perHost', options.perHost ?? 4),
      retries: positive('retries', options.retries ?? 3, 0),
      timeoutMs: positive('timeoutMs', options.timeoutMs ?? 30_000),
      maxBytes: positive('maxBytes', options.maxBytes ?? 500 * 1024 * 1024),
      got: options.got ?? defaultGot,
      sleep: options.sleep ?? ((ms, signal) => delay(ms, undefined, { signal })),
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
    };
    this.#slots = new Slots(this.#options, this.#gate);
    // Every waiting download listens to it: 10,000 queued URLs are not a leak.
    setMaxListeners(0, this.#closer.signal);
  }

  /**
   * Downloads `request.url` into the folder, reporting `download-started` per attempt,
   * `download-progress` and `download-retrying`. Resolves with the complete file; rejects with a
   * DownloadError (E_HTTP_404, E_NOT_AN_IMAGE, E_TOO_LARGE, E_TIMEOUT, E_ABORTED, …) for good.
   */
  download(request: DownloadRequest, onEvent: (event: DownloadEvent) => void): Promise<DownloadResult> {
    const task = this.#download(request, onEvent);
    this.#active.add(task);
    const forget = (): void => void this.#active.delete(task);
    task.then(forget, forget);
    return task;
  }

  /** No download starts, and running ones stop reading (the server is held back), until resume(). */
  pause(): void {
    this.#gate.pause();
  }

  resume(): void {
    this.#gate.resume();
  }

  get paused(): boolean {
    return this.#gate.paused;
  }

  /** Cancels every download (each rejects with E_ABORTED, its `.part` removed); resolves once all settled. */
  async close(): Promise<void> {
    this.#closer.abort(new Error('Downloader closed'));
    await Promise.allSettled([...this.#active]);
  }

  async #download(request: DownloadRequest, onEvent: (event: DownloadEvent) => void): Promise<DownloadResult> {
    const { url } = request;
    const link = linkedSignal([request.signal, this.#closer.signal]);
    const signal = link.signal;
    const host = hostOf(url);
    const order = this.#order++;
    const startedAt = this.#options.now();
    let attempts = 0;
    try {
      if (signal.aborted) throw abortedError(url);
      const folder = await this.#openFolder();
      for (;;) {
        const release = await this.#slots.acquire(host, order, signal);
        let failure: DownloadError;
        try {
          if (attempts === 0) {
            const done = await folder.manifest.verified(url);
            if (done) {
              const { file, bytes, sha256 } = done;
              return { file: join(this.dir, file), bytes, sha256, attempts: 0, downloadMs: this.#options.now() - startedAt, fromManifest: true };
            }
          }
          await this.#gate.wait(signal);
          attempts++;
          onEvent({ type: 'download-started', id: request.id, attempt: attempts });
          const result = await this.#attempt(request, signal, folder, onEvent);
          return { ...result, attempts, downloadMs: this.#options.now() - startedAt, fromManifest: false };
        } catch (error) {
          failure = signal.aborted ? abortedError(url) : toDownloadError(error, { url, received: 0 });
        } finally {
          release();
        }
        failure.attempts = attempts;
        if (!shouldRetry(failure, attempts, this.#options.retries)) throw failure;
        const delayMs = retryDelay(attempts, failure.retryAfter, this.#options.random, this.#options.now);
        const error = { code: failure.code, message: failure.message };
        const retryAt = new Date(this.#options.now() + delayMs).toISOString();
        onEvent({ type: 'download-retrying', id: request.id, attempt: attempts + 1, delayMs, retryAt, error });
        await this.#options.sleep(delayMs, signal);
      }
    } catch (error) {
      const failure = signal.aborted ? abortedError(url) : toDownloadError(error, { url, received: 0 });
      failure.attempts = attempts;
      throw failure;
    } finally {
      link.dispose();
    }
  }

  /** One request into a `.part` file, then the final name and the manifest; the `.part` never stays. */
  async #attempt(
    request: DownloadRequest,
    signal: AbortSignal,
    folder: Folder,
    onEvent: (event: DownloadEvent) => void,
  ): Promise<Pick<DownloadResult, 'file' | 'bytes' | 'sha256'>> {
    const { url, id } = request;
    const part = join(this.dir, partName(url, randomUUID().slice(0, 8)));
    try {
      const { bytes, sha256, kind, etag, lastModified } = await fetchToFile({
        ...this.#options,
        url,
        partPath: part,
        gate: this.#gate,
        signal,
        onProgress: (progress) => onEvent({ type: 'download-progress', id, ...progress }),
      });
      const name = this.#finalName(url, kind, folder);
      await rename(part, join(this.dir, name));
      const completedAt = new Date(this.#options.now()).toISOString();
      const entry = { file: name, bytes, sha256, ...(etag === undefined ? {} : { etag }), ...(lastModified === undefined ? {} : { lastModified }), completedAt };
      // The manifest only saves work next time: failing to write it does not undo a complete file.
      await folder.manifest.set(url, entry).catch(() => undefined);
      return { file: join(this.dir, name), bytes, sha256 };
    } finally {
      // unlink, not rm: no lstat first, as most failed attempts made no file at all. A read-only
      // disk says EROFS even then, and nothing could be removed from it anyway.
      await unlink(part).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT' && error.code !== 'EROFS') throw error;
      });
    }
  }

  /** A previous run's name for this URL when the kind still fits (it is overwritten), else a new one. */
  #finalName(url: string, kind: ImageKind, folder: Folder): string {
    const previous = folder.manifest.get(url)?.file;
    if (previous?.toLowerCase().endsWith(`.${EXTENSIONS[kind]}`)) return previous;
    return downloadName(url, kind, folder.taken);
  }

  #openFolder(): Promise<Folder> {
    this.#folder ??= (async () => {
      try {
        await makeFolder(this.dir);
        const manifest = await Manifest.load(this.dir);
        const names = [...(await readdir(this.dir)), ...manifest.files()];
        return { manifest, taken: new Set(names.map((n) => n.toLowerCase())) };
      } catch (error) {
        const problem = diskProblem(errnoOf(error), String(error));
        throw new DownloadError(problem.code, `Cannot use the downloads folder ${this.dir}: ${problem.reason}`, { cause: error });
      }
    })();
    return this.#folder;
  }
}

/** The host:port a URL's per-host limit counts against; E_BAD_URL for what is not http(s). */
function hostOf(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new DownloadError('E_BAD_URL', `${redactUrl(url)} is not an http(s) URL`);
  }
  return parsed.host;
}

function positive(name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`Downloader: ${name} must be an integer ≥ ${min}, got ${value}`);
  return value;
}
