/**
 * What goes wrong when asking NASA's APOD API, in words that say what to do: the API's refusals
 * (key, rate limit, HTTP), the network's, and causes stripped of the key before they travel on.
 */
import type { TextResponse } from './fetch-text.js';
import { redactText } from '../secrets.js';

/** NASA's shared key: works without signing up, but allows only a few requests an hour. */
export const DEMO_KEY = 'DEMO_KEY';

/** E_USAGE: bad options (exit 2). E_ABORTED: the signal was aborted. The rest: the API failed. */
export type ApodErrorCode =
  | 'E_USAGE' | 'E_API_KEY' | 'E_RATE_LIMITED' | 'E_API_HTTP' | 'E_API_RESPONSE' | 'E_API_NETWORK' | 'E_ABORTED';

/** Why the listing could not be fetched. The message says what to do; it never holds the API key. */
export class ApodError extends Error {
  override readonly name = 'ApodError';
  /** The HTTP status, when the API answered with an error. */
  declare readonly status?: number;
  constructor(
    readonly code: ApodErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    if (options?.status !== undefined) this.status = options.status;
  }
}

/** Makes an ApodError whose message and cause are redacted and printable (see apodRequest). */
export type Fail = (code: ApodErrorCode, message: string, extra?: { cause?: unknown; status?: number }) => ApodError;

/** The error for a non-2xx answer; `shown` is its body, redacted. */
export function httpError(response: TextResponse, shown: string, where: string, apiKey: string, fail: Fail): ApodError {
  const status = response.statusCode;
  const nasa = nasaError(shown);
  const said = nasa.message ? ` NASA said: "${nasa.message}${/[.!?]$/.test(nasa.message) ? '' : '.'}"` : '';
  if (status === 403 || nasa.code === 'API_KEY_INVALID' || nasa.code === 'API_KEY_MISSING') {
    return fail(
      'E_API_KEY',
      `The NASA API key was refused (HTTP ${status}${nasa.code ? `, ${nasa.code}` : ''}).${said} ` +
        `Check --api-key or NASA_API_KEY, get a key at https://api.nasa.gov, or unset --api-key to use ${DEMO_KEY}.`,
      { status },
    );
  }
  if (status === 429 || nasa.code === 'OVER_RATE_LIMIT') {
    const headers = RATE_HEADERS.flatMap((name) => {
      const value = response.headers[name.toLowerCase()];
      return value === undefined ? [] : [`${name}: ${String(value)}${name === 'Retry-After' ? inMinutes(String(value)) : ''}`];
    });
    const facts = headers.length > 0 ? headers.join(', ') : 'no rate-limit headers';
    const advice =
      apiKey === DEMO_KEY
        ? `${DEMO_KEY} allows only a few requests an hour per IP address: get a free personal key at https://api.nasa.gov and pass it with --api-key or NASA_API_KEY, or wait and try again.`
        : 'Wait until the limit resets and try again.';
    return fail('E_RATE_LIMITED', `NASA's rate limit for this API key was reached (HTTP ${status}; ${facts}).${said} ${advice}`, { status });
  }
  return fail(
    'E_API_HTTP',
    `${cap(where)} answered HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}.` +
      `${said || ` The response began: ${excerpt(shown)}.`} ` +
      (status >= 500 ? 'The service may be down: try again later.' : 'Check the dates and --api-url.'),
    { status },
  );
}

export function networkError(cause: unknown, where: string, timeoutMs: number, fail: Fail): ApodError {
  const code = errorCode(cause);
  const message = cause instanceof Error ? cause.message : String(cause);
  if (code === 'ERR_ABORTED') return fail('E_ABORTED', `The request to ${where} was cancelled.`, { cause });
  if (code === 'ETIMEDOUT') {
    return fail('E_API_NETWORK', `${cap(where)} did not answer within ${timeoutMs} ms. Check your connection and try again.`, { cause });
  }
  return fail('E_API_NETWORK', `Could not reach ${where}: ${message}. Check your internet connection and --api-url.`, { cause });
}

/** NASA's error bodies: `{"error":{"code","message"}}` (api.data.gov) or `{"code","msg"}` (the APOD service). */
function nasaError(body: string): { code?: string; message?: string } {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return {};
  }
  if (data === null || typeof data !== 'object') return {};
  const outer = data as Record<string, unknown>;
  const inner = (outer['error'] !== null && typeof outer['error'] === 'object' ? outer['error'] : outer) as Record<string, unknown>;
  const code = text(inner['code']);
  const message = text(inner['message']) ?? text(inner['msg']);
  return { ...(code ? { code } : {}), ...(message ? { message } : {}) };
}

const RATE_HEADERS = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'Retry-After'] as const;

/** " s (about 60 min)" after a Retry-After in seconds; nothing after an HTTP date. */
function inMinutes(retryAfter: string): string {
  if (!/^\d+$/.test(retryAfter.trim())) return '';
  const seconds = Number(retryAfter);
  return seconds < 120 ? ' s' : ` s (about ${Math.round(seconds / 60)} min)`;
}

/**
 * A copy of `cause` that keeps only its code, message and stack, redacted. got's errors carry the
 * request options (the URL with the key among them), so the original must not travel on.
 */
export function sanitizedCause(cause: unknown, secrets: readonly string[]): Error {
  const message = cause instanceof Error ? cause.message : String(cause);
  const copy = new Error(redactText(message, secrets));
  if (cause instanceof Error) {
    copy.name = cause.name;
    if (cause.stack !== undefined) copy.stack = redactText(cause.stack, secrets);
  }
  const code = errorCode(cause);
  return code ? Object.assign(copy, { code }) : copy;
}

function errorCode(error: unknown): string {
  const code = error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : '';
}

/** The start of a response body on one line, quoted, for messages. */
export function excerpt(body: string, max = 80): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  if (flat === '') return 'an empty body';
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}…` : flat);
}

/** A field's string, trimmed, or undefined when it is not a string or is blank. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** `s` with its first letter capitalised, to start a sentence with. */
export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
