import defaultGot, { type Got } from 'got';
import { ApodError, cap, DEMO_KEY, excerpt, httpError, networkError, sanitizedCause, text, type Fail } from './apod-errors.js';
import { BodyTooLargeError, fetchText, type TextResponse } from './fetch-text.js';
import type { RemoteImage, RemoteListing, SkippedEntry } from './remote.js';
import { printable } from '../printable.js';
import { redactText, redactUrl } from '../secrets.js';

export { ApodError, DEMO_KEY, type ApodErrorCode } from './apod-errors.js';

/** NASA's Astronomy Picture of the Day API (https://github.com/nasa/apod-api). */
export const DEFAULT_APOD_URL = 'https://api.nasa.gov/planetary/apod';

/**
 * 64 MiB: the whole archive (about 11,000 days since 1995, at roughly 2 KB an entry with its
 * explanation) comes to some 25 MB, so only something that is not an APOD listing is larger.
 */
export const DEFAULT_APOD_MAX_BYTES = 64 * 1024 * 1024;

export interface ApodOptions {
  /** @default DEFAULT_APOD_URL */
  apiUrl?: string;
  /** Sent only as the `api_key` query parameter; see resolveApiKey. */
  apiKey: string;
  /** That many random entries, 1–100. */
  count?: number;
  /** One day, YYYY-MM-DD. */
  date?: string;
  /** A range of days, YYYY-MM-DD, with endDate (inclusive). */
  startDate?: string;
  endDate?: string;
  /** Use `url` (standard definition) even when `hdurl` is there. @default false */
  preferSd?: boolean;
  signal?: AbortSignal;
  /** For the whole request. @default 30000 */
  timeoutMs?: number;
  /** Largest response accepted, in bytes (decoded). @default DEFAULT_APOD_MAX_BYTES */
  maxBytes?: number;
  /** The HTTP client. @default got */
  got?: Got;
}

/** The `--api-key` flag, else env NASA_API_KEY, else DEMO_KEY (empty values count as unset). */
export function resolveApiKey(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  for (const value of [flag, env['NASA_API_KEY']]) {
    const key = value?.trim();
    if (key) return key;
  }
  return DEMO_KEY;
}

/** The query parameters for `options` (without the key), or an E_USAGE error saying how to fix them. */
export function apodQuery(options: Pick<ApodOptions, 'count' | 'date' | 'startDate' | 'endDate'>): Record<string, string> {
  const { count, date, startDate, endDate } = options;
  const modes = [count !== undefined, date !== undefined, startDate !== undefined || endDate !== undefined];
  if (modes.filter(Boolean).length !== 1) {
    throw usage('Choose exactly one of --count N, --date YYYY-MM-DD, or --start-date YYYY-MM-DD with --end-date YYYY-MM-DD.');
  }
  if (count !== undefined) {
    if (!Number.isInteger(count) || count < 1 || count > 100) {
      throw usage(`--count must be a whole number from 1 to 100 (NASA's limit), but received ${String(count)}.`);
    }
    return { count: String(count) };
  }
  if (date !== undefined) return { date: checkDate('--date', date) };
  if (startDate === undefined) throw usage('--end-date needs --start-date too: give both, for example --start-date 2024-01-01 --end-date 2024-01-07.');
  if (endDate === undefined) throw usage('--start-date needs --end-date too: give both, for example --start-date 2024-01-01 --end-date 2024-01-07.');
  checkDate('--start-date', startDate);
  checkDate('--end-date', endDate);
  if (startDate > endDate) throw usage(`--start-date ${startDate} is after --end-date ${endDate}: swap them.`);
  return { start_date: startDate, end_date: endDate };
}

/**
 * Asks the APOD API for a listing: the images to download and the entries skipped with why
 * (videos, entries without a URL or date). No retries: with DEMO_KEY every request counts against
 * a small hourly quota, so the caller decides.
 */
export async function fetchApodListing(options: ApodOptions): Promise<RemoteListing> {
  const { url, where, fail, secrets } = apodRequest(options);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxBytes = options.maxBytes ?? DEFAULT_APOD_MAX_BYTES;
  let response: TextResponse;
  try {
    response = await fetchText(options.got ?? defaultGot, url, { timeoutMs, maxBytes, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      throw fail(
        'E_API_RESPONSE',
        `${cap(where)} answered with more than ${maxBytes} bytes, more than any APOD listing needs. Check that --api-url points at the APOD API, or ask for a shorter date range.`,
      );
    }
    throw networkError(error, where, timeoutMs, fail);
  }

  const body = response.body;
  // Redacted before it is cut short for a message, so that no part of the key can show.
  const shown = redactText(body, secrets);
  if (response.statusCode < 200 || response.statusCode > 299) throw httpError(response, shown, where, options.apiKey, fail);
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    const type = String(response.headers['content-type'] ?? 'no content type');
    const what = /json/i.test(type) ? `malformed JSON (${(error as Error).message})` : `something that is not JSON (${type})`;
    throw fail('E_API_RESPONSE', `${cap(where)} answered with ${what}: ${excerpt(shown)}. Check that --api-url points at the APOD API.`);
  }
  if (!Array.isArray(data) && (data === null || typeof data !== 'object')) {
    throw fail('E_API_RESPONSE', `${cap(where)} answered with JSON that is not an APOD entry or a list of them: ${excerpt(shown)}.`);
  }
  // Relative image URLs resolve against the API's address without its query, which holds the key.
  return toListing(Array.isArray(data) ? data : [data], `${url.origin}${url.pathname}`, options.preferSd ?? false);
}

/** The entries NASA returned as images and skipped entries, with unique ids (dates repeat in count mode). */
export function toListing(entries: readonly unknown[], base: string, preferSd: boolean): RemoteListing {
  const images: RemoteImage[] = [];
  const skipped: SkippedEntry[] = [];
  const seen = new Map<string, number>();
  const uniqueId = (id: string): string => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}-${n}`;
  };
  entries.forEach((entry, index) => {
    const item = (entry !== null && typeof entry === 'object' ? entry : {}) as Record<string, unknown>;
    const date = text(item['date']);
    const id = uniqueId(date ?? `entry-${index + 1}`);
    const name = text(item['title']) ?? date ?? `entry ${index + 1}`;
    const skip = (reason: string): void => void skipped.push({ id, name, reason });
    if (date === undefined) return skip('the entry has no date');
    const mediaType = text(item['media_type']);
    if (mediaType !== 'image') return skip(`media_type is ${mediaType ?? 'missing'}, not an image`);
    const chosen = preferSd ? text(item['url']) ?? text(item['hdurl']) : text(item['hdurl']) ?? text(item['url']);
    if (chosen === undefined) return skip('the entry has no url or hdurl');
    let imageUrl: URL;
    try {
      imageUrl = new URL(chosen, base);
    } catch {
      return skip(`its image URL is not a URL: ${redactUrl(chosen)}`);
    }
    if (imageUrl.protocol !== 'http:' && imageUrl.protocol !== 'https:') {
      return skip(`its image URL is not http or https: ${redactUrl(chosen)}`);
    }
    images.push({ id, name, url: imageUrl.href });
  });
  return { images, skipped };
}

/** The request fetchApodListing makes (the key and query in its URL), where it goes in words, and how it fails. */
interface ApodRequest {
  url: URL;
  where: string;
  fail: Fail;
  /** What no message may show: the key (unless DEMO_KEY). */
  secrets: string[];
}

/**
 * Checks `options` as fetchApodListing does before it asks anything: throws the E_USAGE ApodError
 * of a bad --count, date, date range, --api-url or an empty key, so that a command can refuse them
 * before it touches its output folder.
 */
export function checkApodOptions(options: ApodOptions): void {
  apodRequest(options);
}

function apodRequest(options: ApodOptions): ApodRequest {
  const query = apodQuery(options);
  const apiUrl = options.apiUrl ?? DEFAULT_APOD_URL;
  // DEMO_KEY is public and named in the advice, so it is the one key left visible.
  const secrets = options.apiKey === DEMO_KEY ? [] : [options.apiKey];
  const fail: Fail = (code, message, extra) =>
    // The server's own words may hold control characters: shown, never obeyed by the terminal.
    new ApodError(code, printable(redactText(message, secrets)), {
      ...extra,
      ...(extra?.cause === undefined ? {} : { cause: sanitizedCause(extra.cause, secrets) }),
    });

  const url = URL.canParse(apiUrl) ? new URL(apiUrl) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw fail('E_USAGE', `--api-url must be an http or https URL, but received ${apiUrl}.`);
  }
  if (options.apiKey === '') throw fail('E_USAGE', `The NASA API key is empty: pass --api-key KEY, set NASA_API_KEY, or leave both unset to use ${DEMO_KEY}.`);
  const where = `the NASA APOD API at ${redactUrl(`${url.origin}${url.pathname}`)}`;
  for (const [name, value] of Object.entries({ api_key: options.apiKey, ...query, thumbs: 'false' })) {
    url.searchParams.set(name, value);
  }
  return { url, where, fail, secrets };
}

function checkDate(flag: string, value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const day = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!day || day.toISOString().slice(0, 10) !== value) {
    throw usage(`${flag} must be a date written YYYY-MM-DD, for example 2024-01-31, but received ${JSON.stringify(value)}.`);
  }
  return value;
}

function usage(message: string): ApodError {
  return new ApodError('E_USAGE', message);
}
