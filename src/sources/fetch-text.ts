/**
 * A GET whose text body is read only up to a size limit, counted after decompression: an API that
 * answers gigabytes (or a gzip bomb) fails fast instead of filling memory. Used by the APOD client.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Got, Response } from 'got';
import { linkedSignal } from '../linked-signal.js';

export interface TextResponse {
  statusCode: number;
  statusMessage?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FetchTextOptions {
  /** For the whole request. */
  timeoutMs: number;
  /** Most body bytes accepted (decoded). */
  maxBytes: number;
  signal?: AbortSignal;
}

/** The body was over `limit` bytes (or its Content-Length said it would be). */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`The response is over the ${limit}-byte limit`);
  }
}

/**
 * GETs `url` with `got` (no retries, HTTP errors returned rather than thrown) and reads the body as
 * UTF-8. Rejects with BodyTooLargeError past `maxBytes`, else with got's error.
 */
export async function fetchText(got: Got, url: URL, options: FetchTextOptions): Promise<TextResponse> {
  const { maxBytes } = options;
  const link = linkedSignal([options.signal]);
  try {
    return await readText(got, url, maxBytes, options.timeoutMs, link.signal);
  } finally {
    link.dispose();
  }
}

async function readText(got: Got, url: URL, maxBytes: number, timeoutMs: number, signal: AbortSignal): Promise<TextResponse> {
  const stream = got.stream(url, {
    throwHttpErrors: false,
    retry: { limit: 0 },
    timeout: { request: timeoutMs },
    signal,
  });
  let response: Response | undefined;
  let tooLarge = false;
  stream.on('response', (answer: Response) => {
    response = answer;
    const declared = Number(answer.headers['content-length']);
    // A Content-Length counts encoded bytes; only an unencoded one tells the decoded size.
    if (answer.headers['content-encoding'] === undefined && declared > maxBytes) {
      tooLarge = true;
      stream.destroy();
    }
  });
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        tooLarge = true;
        stream.destroy();
        break;
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (!tooLarge) throw error;
  }
  if (tooLarge) throw new BodyTooLargeError(maxBytes);
  if (response === undefined) throw new Error('internal: the body ended without a response');
  const { statusCode, statusMessage, headers } = response;
  return { statusCode, ...(statusMessage ? { statusMessage } : {}), headers, body: Buffer.concat(chunks).toString('utf8') };
}
