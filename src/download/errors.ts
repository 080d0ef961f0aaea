/**
 * Download failures as DownloadError: a stable code, a message that names the (redacted) URL and
 * says what happened, the number of requests made, and a cause with secrets stripped. got's own
 * errors embed the full URL, so they are translated here and never passed on as they are.
 */
import { HTTPError, MaxRedirectsError, ReadError, RequestError, TimeoutError } from 'got';
import { redactText, redactUrl } from '../secrets.js';
import type { DownloadFailure } from './types.js';

export interface DownloadErrorOptions {
  attempts?: number;
  cause?: unknown;
  /** The HTTP status, for E_HTTP_* codes. */
  status?: number;
  /** The Retry-After header of the response, when there was one. */
  retryAfter?: string;
}

/** A download that failed: code E_HTTP_404, E_NETWORK, E_TIMEOUT, E_NOT_AN_IMAGE, E_TOO_LARGE, … */
export class DownloadError extends Error implements DownloadFailure {
  override readonly name = 'DownloadError';
  readonly code: string;
  /** Requests made for this download, the failing one included (0 when none was made). */
  attempts: number;
  readonly status?: number;
  readonly retryAfter?: string;

  constructor(code: string, message: string, options: DownloadErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.attempts = options.attempts ?? 0;
    if (options.status !== undefined) this.status = options.status;
    if (options.retryAfter !== undefined) this.retryAfter = options.retryAfter;
  }

  /** The plain-data form, for events and reports. */
  toFailure(): DownloadFailure {
    return { code: this.code, message: this.message, attempts: this.attempts };
  }
}

/** What an attempt knew when it failed, to say how far it got. */
export interface FailureContext {
  url: string;
  /** Body bytes received in this attempt. */
  received: number;
  /** Content-Length of the response, when known. */
  expected?: number;
}

/**
 * Any error out of one attempt (got's, the file system's, ours) as a DownloadError with a code
 * the retry policy understands.
 */
export function toDownloadError(error: unknown, context: FailureContext): DownloadError {
  if (error instanceof DownloadError) return error;
  const url = redactUrl(context.url);
  const cause = sanitize(error);
  if (error instanceof HTTPError) {
    const { statusCode: status, statusMessage } = error.response;
    const retryAfter = headerValue(error.response.headers['retry-after']);
    const what = `${status}${statusMessage ? ` ${statusMessage}` : ''}`;
    return new DownloadError(`E_HTTP_${status}`, `GET ${url} answered HTTP ${what}`, {
      cause,
      status,
      ...(retryAfter === undefined ? {} : { retryAfter }),
    });
  }
  if (error instanceof MaxRedirectsError) {
    const hops = error.options.maxRedirects;
    return new DownloadError('E_REDIRECTS', `GET ${url} was redirected more than ${hops} times (a redirect loop?)`, { cause });
  }
  if (error instanceof TimeoutError) {
    const stage = error.event === 'socket' ? 'no data' : `no '${error.event}'`;
    return new DownloadError('E_TIMEOUT', `GET ${url} timed out: ${stage} for ${timeoutMs(error)} ms`, { cause });
  }
  if (error instanceof ReadError) {
    const of = context.expected === undefined ? '' : ` of ${context.expected}`;
    return new DownloadError(
      'E_TRUNCATED',
      `GET ${url}: the body was cut short after ${context.received}${of} bytes (${error.code})`,
      { cause },
    );
  }
  if (error instanceof RequestError) {
    if (error.code === 'ERR_ABORTED') return abortedError(context.url, cause);
    return new DownloadError('E_NETWORK', `GET ${url} failed: network error ${error.code} (${redactText(error.message)})`, { cause });
  }
  const code = errno(error);
  if (code === 'ABORT_ERR') return abortedError(context.url, cause);
  return new DownloadError('E_WRITE', `Saving ${url} failed: ${code ?? 'error'} ${redactText(messageOf(error))}`, { cause });
}

/** The failure for a download stopped by its signal or by Downloader.close(). */
export function abortedError(url: string, cause?: unknown): DownloadError {
  return new DownloadError('E_ABORTED', `Download of ${redactUrl(url)} was cancelled`, cause === undefined ? {} : { cause });
}

/** A copy of `error` that keeps its name, code and message but has every URL in it redacted. */
function sanitize(error: unknown): Error {
  const copy = new Error(redactText(messageOf(error)));
  copy.name = error instanceof Error ? error.name : 'Error';
  const code = errno(error);
  return code === undefined ? copy : Object.assign(copy, { code });
}

function timeoutMs(error: TimeoutError): string {
  return /for (\d+)ms/.exec(error.message)?.[1] ?? '?';
}

function errno(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
