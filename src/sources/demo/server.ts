/**
 * The embedded offline demo: an HTTP server on 127.0.0.1 that answers like NASA's APOD API and
 * serves generated skies (and their true stars), with optional latency, bandwidth limit and faults.
 *
 * Routes: GET|HEAD /planetary/apod (see apod-api.ts), /images/<i>.<jpg|png> and /images/<i>-sd.<ext>
 * (ETag, Last-Modified, Range), /truth/<i>.json ({index, date, width, height, image, stars}).
 */
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { apodAnswer } from './apod-api.js';
import { demoDate, demoImagePath, isDemoVideo, parseDemoImagePath } from './catalogue.js';
import { DEMO_FAULTS_SPAN, demoFaultFor, type DemoFaultKind } from './faults.js';
import { DemoImageCache, type EncodedImage } from './images.js';
import { SkyRenderer } from './renderer.js';
import { skyPlan, truthOf } from './sky.js';
import { delay, realTimers, writeBody, type DemoTimers } from './throttle.js';

export interface DemoServerOptions {
  /** Picks the skies: the same seed gives the same images. @default 1 */
  seed?: number;
  /** Catalogue size (entries 0 … count-1). @default 24 */
  count?: number;
  /** Delay before every response's headers, in ms. @default 0 */
  latencyMs?: number;
  /** Each response body's rate in KiB/s (bodies are written in chunks on a timer). @default unthrottled */
  bandwidthKiBps?: number;
  /** Make the images in DEMO_FAULTS misbehave as documented there. @default false */
  faults?: boolean;
  /** With `faults`, the fault set repeats every this many images (at least DEMO_FAULTS_SPAN), for long runs. @default no repeat */
  faultPeriod?: number;
  /** The `api_key` the APOD route accepts. @default 'DEMO_KEY' */
  apiKey?: string;
  /** @default 0 (a free port) */
  port?: number;
  /**
   * Serve the connections of this listening server instead of listening itself (a socket handed
   * over by the process that opened it: server-child.ts). `port` is then not used.
   */
  listener?: NetServer;
  /** For tests. @default real timers, unref()'ed */
  timers?: DemoTimers;
}

/** One request as the server saw it. */
export interface RequestLogEntry {
  method: string;
  /** The path and query, with the api_key's value replaced by `***`. */
  path: string;
  /** The status sent; 0 until headers are sent (and for a connection reset before them). */
  status: number;
  /** Body bytes handed to the socket so far. */
  bytes: number;
  /** The fault injected into this response, if any. */
  fault?: DemoFaultKind;
  /** True once the whole response was sent. */
  complete: boolean;
}

export interface DemoServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The APOD endpoint: `${url}/planetary/apod`. */
  apiUrl: string;
  seed: number;
  count: number;
  apiKey: string;
  /** Every request so far, in arrival order (entries are updated while responses are sent). */
  requests: RequestLogEntry[];
  /** Stops listening and closes every connection, idle or stalled. */
  close(): Promise<void>;
}

export class DemoOptionsError extends RangeError {
  readonly code = 'E_USAGE';
}

function check(name: string, value: number, ok: boolean, expected: string): void {
  if (!ok) throw new DemoOptionsError(`The demo's ${name} must be ${expected}, but received ${value}.`);
}

/** Throws a DemoOptionsError that names the first option out of range. */
export function checkDemoOptions(options: DemoServerOptions): void {
  const { seed = 1, count = 24, latencyMs = 0, bandwidthKiBps, faultPeriod } = options;
  check('seed', seed, Number.isSafeInteger(seed), 'a whole number');
  check('count', count, Number.isSafeInteger(count) && count >= 1 && count <= 100_000, 'a whole number from 1 to 100000');
  check('latency', latencyMs, Number.isFinite(latencyMs) && latencyMs >= 0, 'a number of ms ≥ 0');
  if (faultPeriod !== undefined) {
    check('fault period', faultPeriod, Number.isSafeInteger(faultPeriod) && faultPeriod >= DEMO_FAULTS_SPAN, `a whole number ≥ ${DEMO_FAULTS_SPAN}`);
  }
  if (bandwidthKiBps !== undefined) check('bandwidth', bandwidthKiBps, Number.isFinite(bandwidthKiBps) && bandwidthKiBps > 0, 'a number of KiB/s > 0');
}

/** Starts the demo server; resolves once it listens. */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  checkDemoOptions(options);
  const { seed = 1, count = 24, latencyMs = 0, bandwidthKiBps, faults = false, faultPeriod, apiKey = 'DEMO_KEY', port = 0, listener } = options;
  const timers = options.timers ?? realTimers;

  const renderer = new SkyRenderer();
  const images = new DemoImageCache(seed, { encode: (s, i, v) => renderer.encode(s, i, v) });
  const attempts = new Map<number, number>();
  const requests: RequestLogEntry[] = [];
  const sockets = new Set<Socket>();
  let baseUrl = '';

  /** Sends a whole response: latency was already waited; the body is throttled if asked. */
  async function send(res: ServerResponse, log: RequestLogEntry, status: number, headers: OutgoingHttpHeaders, body: Uint8Array): Promise<void> {
    log.status = status;
    res.writeHead(status, { 'Content-Length': body.length, ...headers });
    if (res.req.method === 'HEAD' || (await writeBody(res, body, { bandwidthKiBps, timers, onWritten: (n) => (log.bytes += n) }))) {
      res.end(() => (log.complete = true));
    }
  }
  const text = (res: ServerResponse, log: RequestLogEntry, status: number, message: string, headers: OutgoingHttpHeaders = {}): Promise<void> =>
    send(res, log, status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers }, Buffer.from(`${message}\n`));
  const json = (res: ServerResponse, log: RequestLogEntry, status: number, value: unknown): Promise<void> =>
    send(res, log, status, { 'Content-Type': 'application/json' }, Buffer.from(JSON.stringify(value)));

  async function serveImage(req: IncomingMessage, res: ServerResponse, log: RequestLogEntry, path: string): Promise<void> {
    const image = parseDemoImagePath(path);
    const plan = image && image.index < count && !isDemoVideo(image.index, count) ? skyPlan(seed, image.index) : undefined;
    if (!image || !plan || demoImagePath(plan, image.variant) !== path) return text(res, log, 404, `No demo image at ${path}.`);
    const attempt = req.method === 'GET' ? (attempts.get(image.index) ?? 0) + 1 : Infinity;
    if (req.method === 'GET') attempts.set(image.index, attempt);
    const fault = faults ? demoFaultFor(image.index, attempt, faultPeriod) : undefined;
    if (fault) log.fault = fault;
    switch (fault) {
      case 'reset-before-headers':
        req.socket.resetAndDestroy();
        return;
      case 'server-error':
        return text(res, log, 503, 'Service Unavailable: the demo fails this image once (--faults). Try again.');
      case 'rate-limited':
        return text(res, log, 429, 'Too Many Requests: the demo limits this image once (--faults). Retry after 1 s.', { 'Retry-After': '1' });
      case 'not-found':
        return text(res, log, 404, `Not Found: the demo never serves ${path} (--faults).`);
      case 'html':
        return send(res, log, 200, { 'Content-Type': 'text/html; charset=utf-8' },
          Buffer.from('<!doctype html>\n<html><head><title>Image moved</title></head><body><p>This is a web page, not an image (--faults).</p></body></html>\n'));
      default:
    }
    const encoded = await images.get(image.index, image.variant);
    const headers = imageHeaders(encoded);
    if (fault === 'stalled' || fault === 'truncated' || fault === 'reset-mid-body') {
      log.status = 200;
      res.writeHead(200, { ...headers, 'Content-Length': encoded.body.length });
      if (fault === 'stalled') return void res.flushHeaders(); // and nothing more: close() ends it
      const half = encoded.body.subarray(0, Math.floor(encoded.body.length / 2));
      if (!(await writeBody(res, half, { bandwidthKiBps, timers, onWritten: (n) => (log.bytes += n) }))) return;
      if (fault === 'truncated') res.socket?.end();
      else res.socket?.resetAndDestroy();
      return;
    }
    const etag = req.headers['if-none-match'];
    if (etag !== undefined && etag.split(/\s*,\s*/).some((tag) => tag === encoded.etag || tag === `W/${encoded.etag}`)) {
      log.status = 304;
      res.writeHead(304, { ETag: encoded.etag, 'Last-Modified': encoded.lastModified }).end(() => (log.complete = true));
      return;
    }
    const rangeHeader = req.headers['if-range'] === undefined || req.headers['if-range'] === encoded.etag ? req.headers.range : undefined;
    const range = parseRange(rangeHeader, encoded.body.length);
    if (range === 'unsatisfiable') return send(res, log, 416, { 'Content-Range': `bytes */${encoded.body.length}` }, new Uint8Array(0));
    if (range) {
      const [start, end] = range;
      return send(res, log, 206, { ...headers, 'Content-Range': `bytes ${start}-${end}/${encoded.body.length}` }, encoded.body.subarray(start, end + 1));
    }
    return send(res, log, 200, headers, encoded.body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    const shown = new URLSearchParams(url.search);
    if (shown.has('api_key')) shown.set('api_key', '***'); // the log never holds a key
    const query = String(shown);
    const log: RequestLogEntry = { method: req.method ?? 'GET', path: url.pathname + (query ? `?${query}` : ''), status: 0, bytes: 0, complete: false };
    requests.push(log);
    if (!(await delay(res, latencyMs, timers))) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, log, 405, `Method ${req.method} is not allowed: use GET.`, { Allow: 'GET, HEAD' });
    const path = url.pathname;
    if (path === '/planetary/apod' || path === '/planetary/apod/') {
      const answer = apodAnswer(url.searchParams, { seed, count, apiKey, baseUrl });
      return json(res, log, answer.status, answer.body);
    }
    if (path.startsWith('/images/')) return serveImage(req, res, log, path);
    const truth = /^\/truth\/(\d{1,9})\.json$/.exec(path);
    const index = truth ? Number(truth[1]) : -1;
    if (index >= 0 && index < count && !isDemoVideo(index, count)) {
      const plan = skyPlan(seed, index);
      return json(res, log, 200, { index, date: demoDate(index), width: plan.width, height: plan.height, image: demoImagePath(plan), stars: truthOf(plan) });
    }
    return json(res, log, 404, { error: { code: 'NOT_FOUND', message: `No route ${path} on the stardash demo server.` } });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`Internal error: ${String(error)}\n`);
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  if (listener) {
    listener.on('connection', (socket: Socket) => server.emit('connection', socket));
  } else {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  }
  baseUrl = `http://127.0.0.1:${((listener ?? server).address() as AddressInfo).port}`;

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/planetary/apod`,
    seed,
    count,
    apiKey,
    requests,
    close() {
      closing ??= new Promise<void>((resolve) => {
        (listener ?? server).close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }).then(() => renderer.close());
      return closing;
    },
  };
}

function imageHeaders(image: EncodedImage): OutgoingHttpHeaders {
  return {
    'Content-Type': image.contentType,
    ETag: image.etag,
    'Last-Modified': image.lastModified,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'public, max-age=86400',
  };
}

/** One `bytes=` range of a body of `length`: [start, end] inclusive, 'unsatisfiable', or undefined (serve all). */
export function parseRange(header: string | undefined, length: number): [number, number] | 'unsatisfiable' | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    return suffix === 0 ? 'unsatisfiable' : [Math.max(0, length - suffix), length - 1];
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? length - 1 : Math.min(length - 1, Number(match[2]));
  if (start >= length) return 'unsatisfiable';
  return start > end ? undefined : [start, end];
}
