/**
 * The transform every response body flows through on its way to the `.part` file: it waits while
 * the downloads are paused (so the socket's buffers fill and the server is held back), counts bytes
 * against the size limit, checks the magic bytes, hashes, and reports progress at most every
 * `progressIntervalMs` plus once at the end.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { DownloadError } from './errors.js';
import { detectImageKind, SNIFF_BYTES, type ImageKind } from './image-kind.js';
import type { PauseGate } from './pause-gate.js';
import { redactUrl } from '../secrets.js';

export interface Progress {
  transferred: number;
  total?: number;
  bytesPerSecond: number;
}

export interface InspectorOptions {
  url: string;
  maxBytes: number;
  gate: PauseGate;
  signal: AbortSignal;
  now: () => number;
  onProgress: (progress: Progress) => void;
  /** @default 100 */
  progressIntervalMs?: number;
}

export class Inspector extends Transform {
  /** Body bytes seen so far. */
  bytes = 0;
  /** Known once the first bytes matched a signature. */
  kind: ImageKind | undefined;
  /** Hex SHA-256 of the body, set when the body ended. */
  sha256: string | undefined;
  /** From the response headers, set before the body flows. */
  total: number | undefined;
  contentType: string | undefined;

  readonly #options: InspectorOptions;
  readonly #hash: Hash = createHash('sha256');
  readonly #startedAt: number;
  #head = Buffer.alloc(0);
  #lastProgressAt = Number.NEGATIVE_INFINITY;

  constructor(options: InspectorOptions) {
    super();
    this.#options = options;
    this.#startedAt = options.now();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const { gate, signal } = this.#options;
    if (!gate.paused) {
      this.#take(chunk, callback);
      return;
    }
    // Not consuming while paused is the backpressure: got stops reading, the socket fills.
    gate.wait(signal).then(
      () => this.#take(chunk, callback),
      (reason: unknown) => callback(reason instanceof Error ? reason : new Error(String(reason))),
    );
  }

  override _flush(callback: TransformCallback): void {
    const url = redactUrl(this.#options.url);
    if (this.bytes === 0) {
      callback(new DownloadError('E_EMPTY_BODY', `GET ${url} answered with an empty body`));
      return;
    }
    if (this.kind === undefined) {
      const kind = detectImageKind(this.#head, true);
      if (kind === 'unknown' || kind === 'need-more') {
        callback(this.#notAnImage());
        return;
      }
      this.kind = kind;
    }
    this.sha256 = this.#hash.digest('hex');
    this.#report(this.bytes);
    callback();
  }

  #take(chunk: Buffer, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.#options.maxBytes) {
      const url = redactUrl(this.#options.url);
      const limit = this.#options.maxBytes;
      callback(new DownloadError('E_TOO_LARGE', `GET ${url}: the body is over the ${limit}-byte limit (raise --max-bytes to allow it)`));
      return;
    }
    if (this.kind === undefined) {
      this.#head = Buffer.concat([this.#head, chunk.subarray(0, SNIFF_BYTES - this.#head.length)]);
      const kind = detectImageKind(this.#head);
      if (kind === 'unknown') {
        callback(this.#notAnImage());
        return;
      }
      if (kind !== 'need-more') this.kind = kind;
    }
    this.#hash.update(chunk);
    const now = this.#options.now();
    if (now - this.#lastProgressAt >= (this.#options.progressIntervalMs ?? 100)) {
      this.#lastProgressAt = now;
      this.#report(this.total);
    }
    callback(null, chunk);
  }

  #report(total: number | undefined): void {
    const seconds = (this.#options.now() - this.#startedAt) / 1000;
    const bytesPerSecond = seconds > 0 ? Math.round(this.bytes / seconds) : 0;
    this.#options.onProgress({ transferred: this.bytes, ...(total === undefined ? {} : { total }), bytesPerSecond });
  }

  #notAnImage(): DownloadError {
    const url = redactUrl(this.#options.url);
    const type = this.contentType === undefined ? 'no Content-Type' : `Content-Type ${this.contentType}`;
    const head = [...this.#head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    return new DownloadError(
      'E_NOT_AN_IMAGE',
      `GET ${url} is not an image (${type}, first bytes ${head}); expected JPEG, PNG, GIF, WebP or TIFF`,
    );
  }
}
