import { request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';

/** What a raw node:http request saw: status and headers (if any), body bytes, chunks, how it ended. */
export interface Fetched {
  status?: number;
  headers?: IncomingHttpHeaders;
  body: Buffer;
  /** 'data' events: a throttled body arrives in several. */
  chunks: number;
  /** The error that ended it early (reset, hang up, premature close), if any. */
  error?: NodeJS.ErrnoException;
  /** True when the body had not ended `bodyTimeoutMs` after the headers (the request is then destroyed). */
  timedOut: boolean;
}

export interface FetchOptions {
  method?: string;
  headers?: OutgoingHttpHeaders;
  /** How long to wait for the body once the headers are in. @default 5000 */
  bodyTimeoutMs?: number;
}

/**
 * One request on a fresh connection that never rejects, so tests can assert on resets, truncation
 * and stalls as plainly as on a 200.
 */
export function fetchRaw(url: string, options: FetchOptions = {}): Promise<Fetched> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const result: Fetched = { body: Buffer.alloc(0), chunks: 0, timedOut: false };
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (error?: NodeJS.ErrnoException): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      result.body = Buffer.concat(chunks);
      if (error) result.error = error;
      resolve(result);
    };
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false }, (res) => {
      result.status = res.statusCode;
      result.headers = res.headers;
      timer = setTimeout(() => {
        result.timedOut = true;
        settle();
        req.destroy();
      }, options.bodyTimeoutMs ?? 5000);
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        result.chunks++;
      });
      res.on('end', () => settle());
      res.on('error', (error) => settle(error));
      res.on('aborted', () => settle(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
    });
    req.on('error', (error) => settle(error));
    req.end();
  });
}
