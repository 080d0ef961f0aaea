/**
 * When to try a download again and how long to wait first. Pure functions, modelled on got's
 * `core/calculate-retry-delay.ts`, so the Downloader stays a loop and the policy stays testable.
 */

/** First backoff delay: attempt 1 failed → about 500 ms, then 1 s, 2 s, … */
export const BASE_DELAY_MS = 500;
/** No wait is longer than this, whether from backoff or from a server's Retry-After. */
export const MAX_DELAY_MS = 30_000;

/** What the policy needs to know of a failed attempt. */
export interface RetryableFailure {
  /** A DownloadError code: E_HTTP_503, E_NETWORK, E_TIMEOUT, E_TRUNCATED, E_NOT_AN_IMAGE, … */
  code: string;
}

/** Failures that may go away on their own: the network, the server being busy, a cut-off body. */
const TRANSIENT = new Set(['E_NETWORK', 'E_TIMEOUT', 'E_TRUNCATED', 'E_HTTP_408', 'E_HTTP_429']);

/**
 * Whether to make another request after attempt number `attempt` (1-based) failed, with `retries`
 * retries allowed in all (so at most `retries + 1` requests). Network errors, timeouts, truncated
 * bodies, 408, 429 and 5xx are retried; other 4xx, content that is not an image, bodies over the
 * size limit, redirect loops, host names that do not resolve, responses that break HTTP, a full
 * disk and cancellations are not.
 */
export function shouldRetry(failure: RetryableFailure, attempt: number, retries: number): boolean {
  if (attempt > retries) return false;
  return TRANSIENT.has(failure.code) || /^E_HTTP_5\d\d$/.test(failure.code);
}

/**
 * Milliseconds to wait before the attempt after attempt number `attempt` (1-based). A valid
 * Retry-After (delta seconds or an HTTP date, read against `now()`) is honoured exactly, capped at
 * MAX_DELAY_MS; otherwise exponential backoff `BASE_DELAY_MS × 2^(attempt−1)`, capped, with equal
 * jitter: half of it fixed, half of it `random()` (in [0, 1)), so retries of many downloads spread out.
 */
export function retryDelay(
  attempt: number,
  retryAfterHeader: string | undefined,
  random: () => number,
  now: () => number,
): number {
  const retryAfter = parseRetryAfter(retryAfterHeader, now());
  if (retryAfter !== undefined) return Math.min(retryAfter, MAX_DELAY_MS);
  const ceiling = Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1), MAX_DELAY_MS);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * A Retry-After header as milliseconds from `nowMs`: `"120"` → 120000, an HTTP date → the time
 * until it (0 when past). Undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date names a weekday and a time zone; plain numbers with signs or dots are not one.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
