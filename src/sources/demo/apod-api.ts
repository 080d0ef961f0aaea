/**
 * The demo server's answer to `GET /planetary/apod`, as NASA's API answers (same parameters, JSON
 * shapes and error bodies). Pure: query in, status and JSON out.
 */
import { demoDate, demoEntry, demoIndexOfDate, type ApodEntry } from './catalogue.js';

export interface ApodContext {
  seed: number;
  /** Catalogue size: entries 0 … count-1. */
  count: number;
  /** The key the request's `api_key` must equal. */
  apiKey: string;
  /** http://127.0.0.1:PORT, for the entries' image URLs. */
  baseUrl: string;
}

export interface ApodAnswer {
  status: number;
  body: ApodEntry | ApodEntry[] | Record<string, unknown>;
}

const ALLOWED = "Allowed request fields for apod method are 'concept_tags', 'date', 'hd', 'count', 'start_date', 'end_date', 'thumbs'";

/** NASA's 400 body. */
function badRequest(msg: string): ApodAnswer {
  return { status: 400, body: { code: 400, msg, service_version: 'v1' } };
}

/**
 * `count=N`: the N newest entries (1–100; NASA's are random, the demo's are entries 0 … N-1, capped
 * at the catalogue). `date=D`: that day's entry. `start_date` (and optional `end_date`, default the
 * newest day): the entries in the range, oldest first, clipped to the catalogue. Nothing: the newest.
 */
export function apodAnswer(query: URLSearchParams, context: ApodContext): ApodAnswer {
  const key = query.get('api_key');
  if (key === null || key === '') {
    return { status: 403, body: { error: { code: 'API_KEY_MISSING', message: 'No api_key was supplied. Get one at https://api.nasa.gov:443' } } };
  }
  if (key !== context.apiKey) {
    return { status: 403, body: { error: { code: 'API_KEY_INVALID', message: 'An invalid api_key was supplied. Get one at https://api.nasa.gov:443' } } };
  }
  const count = query.get('count');
  const date = query.get('date');
  const start = query.get('start_date');
  const end = query.get('end_date');
  const entry = (index: number): ApodEntry => demoEntry(context.seed, index, context.count, context.baseUrl);
  const modes = [count !== null, date !== null, start !== null || end !== null].filter(Boolean).length;
  if (modes > 1 || (end !== null && start === null)) return badRequest(`Bad Request: invalid field combination passed. ${ALLOWED}`);

  if (count !== null) {
    const n = /^\d+$/.test(count) ? Number(count) : NaN;
    if (!(n >= 1 && n <= 100)) return badRequest('Count must be positive and cannot exceed 100');
    return { status: 200, body: Array.from({ length: Math.min(n, context.count) }, (_, i) => entry(i)) };
  }
  const first = demoDate(context.count - 1);
  const last = demoDate(0);
  for (const value of [date, start, end]) {
    if (value !== null && !isDate(value)) return badRequest(`time data '${value}' does not match format '%Y-%m-%d'`);
  }
  if (date !== null) {
    const index = demoIndexOfDate(date);
    if (index < 0 || index >= context.count) return badRequest(`Date must be between ${first} and ${last}.`);
    return { status: 200, body: entry(index) };
  }
  if (start !== null) {
    const to = end ?? last;
    if (start > to) return badRequest('start_date cannot be after end_date');
    const newest = Math.max(0, demoIndexOfDate(to));
    const oldest = Math.min(context.count - 1, demoIndexOfDate(start));
    const body: ApodEntry[] = [];
    for (let index = oldest; index >= newest; index--) body.push(entry(index));
    return { status: 200, body };
  }
  return { status: 200, body: entry(0) };
}

/** YYYY-MM-DD naming a real day. */
function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().startsWith(value);
}
