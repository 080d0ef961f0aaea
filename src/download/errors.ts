/**
 * Download failures as DownloadError: a stable code, a message that names the (redacted) URL and
 * says what happened, the number of requests made, and a cause with secrets stripped. got's own
 * errors embed the full URL, so they are translated here and never passed on as they are.
 */
import { HTTPError, MaxRedirectsError, ReadError, RequestError, TimeoutError } from 'got';
import { redactText, redactUrl } from '../secrets.js';
import { diskProblem } from '../disk-errors.js';
import type { DownloadFailure } from './types.js';

export interface DownloadErrorOptions {
  attempts?: number;
  cause?: unknown;
  /** The HTTP status, for E_HTTP_* codes. */
  status?: number;
  /** The Retry-After header of the response, when there was one. */
  retryAfter?: string;
}

/** A download that failed: code E_HTTP_404, E_NETWORK, E_DNS, E_TIMEOUT, E_NOT_AN_IMAGE, E_TOO_LARGE, E_DISK_FULL, … */
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
  /** Whether the response headers had arrived. @default false */
  responded?: boolean;
  /** The folder the body was being saved in, for disk errors. */
  folder?: string;
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
  if (error instanceof TimeoutError) return new DownloadError('E_TIMEOUT', `GET ${url} timed out: ${stall(error, context)}`, { cause });
  if (error instanceof ReadError && isUndecodable(error.code)) {
    return new DownloadError(
      'E_BAD_RESPONSE',
      `GET ${url} failed: the body could not be decoded as its Content-Encoding says (${error.code}: ${redactText(error.message)})`,
      { cause },
    );
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
    return networkError(error, url, cause);
  }
  const code = errno(error);
  if (code === 'ABORT_ERR') return abortedError(context.url, cause);
  const problem = diskProblem(code, redactText(messageOf(error)));
  const into = context.folder === undefined ? '' : ` in ${context.folder}`;
  return new DownloadError(problem.code, `Saving ${url}${into} failed: ${problem.reason}`, { cause });
}

/** What stalled, for a person: no connection, no response, no body, or the body stopped after N bytes. */
function stall(error: TimeoutError, context: FailureContext): string {
  const ms = timeoutMs(error);
  if (error.event === 'connect' || error.event === 'secureConnect') return `no connection within ${ms} ms (is the host up?)`;
  if (error.event !== 'socket') return `no '${error.event}' within ${ms} ms`;
  if (!context.responded) return `the server accepted the connection but sent no response for ${ms} ms`;
  if (context.received === 0) return `the server sent the headers, then no data for ${ms} ms`;
  const of = context.expected === undefined ? '' : ` of ${context.expected}`;
  return `no data for ${ms} ms after ${context.received}${of} bytes`;
}

/** got's RequestError for a failed connection or a broken response, in words. */
function networkError(error: RequestError, url: string, cause: Error): DownloadError {
  const { code } = error;
  if (code === 'ENOTFOUND') {
    // Retrying does not make a name exist: E_DNS is permanent (EAI_AGAIN, a DNS server not answering, is not).
    const host = hostName(error);
    return new DownloadError('E_DNS', `GET ${url} failed: could not resolve host ${host} (${code}); check the host name in the URL and your network connection`, { cause });
  }
  if (code.startsWith('HPE_')) {
    const detail = redactText(error.message.replace(/^Parse Error: /, ''));
    return new DownloadError(
      'E_BAD_RESPONSE',
      `GET ${url} failed: the server's response is not valid HTTP (${code}: ${detail}), for example a body longer than its Content-Length`,
      { cause },
    );
  }
  const words = NETWORK_WORDS[code] ?? redactText(error.message);
  return new DownloadError('E_NETWORK', `GET ${url} failed: network error ${code} (${words})`, { cause });
}

/** zlib and brotli errors of a body that is not what its Content-Encoding says; a gzip stream that ends early (Z_BUF_ERROR) is a truncated body. */
function isUndecodable(code: string): boolean {
  return (code.startsWith('Z_') && code !== 'Z_BUF_ERROR') || code.startsWith('ERR__ERROR_') || code.includes('BROTLI');
}

const NETWORK_WORDS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'the server refused the connection: is it running, and is the port right?',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
  EHOSTUNREACH: 'the host cannot be reached: check your network connection',
  ENETUNREACH: 'the network cannot be reached: check your network connection',
  EAI_AGAIN: 'the DNS server did not answer: check your network connection',
};

function hostName(error: RequestError): string {
  const url = error.options?.url;
  return url instanceof URL ? url.hostname : (/ENOTFOUND (\S+)/.exec(error.message)?.[1] ?? 'the host');
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
