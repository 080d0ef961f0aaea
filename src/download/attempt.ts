/**
 * One request: stream the body of `url` through the Inspector into a fresh `.part` file (created
 * with the first byte), fsync it and close it. Retries, naming and the final rename are the Downloader's; this only makes the
 * `.part` file whole or throws a DownloadError (leaving the `.part` file for the caller to remove).
 */
import type { ClientRequest } from 'node:http';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Got } from 'got';
import { DownloadError, toDownloadError } from './errors.js';
import type { ImageKind } from './image-kind.js';
import { Inspector, type Progress } from './inspector.js';
import type { PauseGate } from './pause-gate.js';
import { redactUrl } from '../secrets.js';

export interface AttemptOptions {
  got: Got;
  url: string;
  partPath: string;
  /** Connect and idle timeout. */
  timeoutMs: number;
  maxBytes: number;
  gate: PauseGate;
  signal: AbortSignal;
  now: () => number;
  onProgress: (progress: Progress) => void;
}

export interface AttemptResult {
  bytes: number;
  sha256: string;
  kind: ImageKind;
  etag?: string;
  lastModified?: string;
}

export async function fetchToFile(options: AttemptOptions): Promise<AttemptResult> {
  const part = new PartFile(options.partPath);
  try {
    return await streamInto(part, options);
  } finally {
    await part.close();
  }
}

/**
 * The request and its pipeline are set up without an `await` in between: a got stream that fails
 * before anything listens would throw its (unredacted) error as an uncaught exception.
 */
async function streamInto(part: PartFile, options: AttemptOptions): Promise<AttemptResult> {
  const { got, url, timeoutMs, maxBytes, gate, signal } = options;
  const inspector = new Inspector({ url, maxBytes, gate, signal, now: options.now, onProgress: options.onProgress });
  const request = got.stream(url, {
    // Retries are ours, so that events, delays and `.part` clean-up are right.
    retry: { limit: 0 },
    timeout: { connect: timeoutMs, secureConnect: timeoutMs, socket: timeoutMs },
    signal,
    // Asks for the bytes as they are (images are compressed already), but a server that gzips them
    // anyway is decoded: the file, the size limit and the magic bytes all see the image itself.
    decompress: true,
    strictContentLength: true,
    headers: { accept: 'image/*,*/*;q=0.5', 'accept-encoding': 'identity' },
  });

  let refused: DownloadError | undefined;
  let responded = false;
  let etag: string | undefined;
  let lastModified: string | undefined;
  request.on('response', (response: { headers: Record<string, string | string[] | undefined> }) => {
    responded = true;
    const length = Number(response.headers['content-length']);
    // An encoded body's Content-Length counts the encoded bytes, not the image's: no total then.
    const encoded = (first(response.headers['content-encoding']) ?? 'identity') !== 'identity';
    if (!encoded && response.headers['content-length'] !== undefined && Number.isSafeInteger(length)) inspector.total = length;
    inspector.contentType = first(response.headers['content-type']);
    etag = first(response.headers.etag);
    lastModified = first(response.headers['last-modified']);
    if (inspector.total !== undefined && inspector.total > maxBytes) {
      refused = new DownloadError(
        'E_TOO_LARGE',
        `GET ${redactUrl(url)}: Content-Length ${inspector.total} is over the ${maxBytes}-byte limit (raise --max-bytes to allow it)`,
      );
      request.destroy(refused);
    }
  });

  // A paused download is idle on purpose: suspend the socket idle timeout until resumed.
  let clientRequest: ClientRequest | undefined;
  request.on('request', (req: ClientRequest) => {
    clientRequest = req;
    if (gate.paused) req.setTimeout(0);
  });
  const stopWatching = gate.subscribe((paused) => clientRequest?.setTimeout(paused ? 0 : timeoutMs));

  try {
    await pipeline(request, inspector, part.sink());
  } catch (error) {
    const expected = inspector.total === undefined ? {} : { expected: inspector.total };
    throw refused ?? toDownloadError(error, { url, received: inspector.bytes, responded, folder: dirname(options.partPath), ...expected });
  } finally {
    stopWatching();
  }
  const { bytes, sha256, kind } = inspector;
  if (sha256 === undefined || kind === undefined) throw new Error('internal: body ended without a digest');
  return { bytes, sha256, kind, ...(etag === undefined ? {} : { etag }), ...(lastModified === undefined ? {} : { lastModified }) };
}

/**
 * The `.part` file, created on the first byte of an image body: a request that fails before (a 404,
 * an HTML page, a refused connection) leaves nothing on disk and costs no file system calls.
 */
class PartFile {
  readonly #path: string;
  #file: Promise<FileHandle> | undefined;

  constructor(path: string) {
    this.#path = path;
  }

  /** Writes every chunk, then fsyncs; closing stays close()'s. */
  sink(): Writable {
    const settle = (work: Promise<unknown>, callback: (error?: Error | null) => void): void => {
      work.then(() => callback(), callback);
    };
    return new Writable({
      write: (chunk: Buffer, _encoding, callback) => settle(this.#open().then((file) => writeAll(file, chunk)), callback),
      final: (callback) => settle(this.#open().then((file) => file.sync()), callback),
    });
  }

  async close(): Promise<void> {
    const file = await this.#file?.catch(() => undefined);
    await file?.close();
  }

  #open(): Promise<FileHandle> {
    this.#file ??= open(this.#path, 'wx');
    return this.#file;
  }
}

/** A write may take fewer bytes than offered; go on until all are written. */
async function writeAll(file: FileHandle, buffer: Buffer): Promise<void> {
  for (let offset = 0; offset < buffer.length; ) {
    const { bytesWritten } = await file.write(buffer, offset);
    offset += bytesWritten;
  }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
