/**
 * One request: stream the body of `url` through the Inspector into a fresh `.part` file, fsync it
 * and close it. Retries, naming and the final rename are the Downloader's; this only makes the
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
  let file: FileHandle;
  try {
    file = await open(options.partPath, 'wx');
  } catch (error) {
    throw toDownloadError(error, { url: options.url, received: 0, folder: dirname(options.partPath) });
  }
  try {
    return await streamInto(file, options);
  } finally {
    await file.close();
  }
}

/**
 * The request and its pipeline are set up without an `await` in between: a got stream that fails
 * before anything listens would throw its (unredacted) error as an uncaught exception.
 */
async function streamInto(file: FileHandle, options: AttemptOptions): Promise<AttemptResult> {
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
    await pipeline(request, inspector, syncedSink(file));
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

/** Writes to an open file and fsyncs it before finishing; closing the file stays the caller's. */
function syncedSink(file: FileHandle): Writable {
  const settle = (work: Promise<unknown>, callback: (error?: Error | null) => void): void => {
    work.then(() => callback(), callback);
  };
  return new Writable({
    write: (chunk: Buffer, _encoding, callback) => settle(writeAll(file, chunk), callback),
    final: (callback) => settle(file.sync(), callback),
  });
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
