/**
 * A real HTTP server on 127.0.0.1 (random port) for download tests, after got's
 * test/helpers/with-server.ts: register handlers by path, then read what the server saw.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void | Promise<void>;

export interface TestServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** `127.0.0.1:PORT`, what per-host limits count against. */
  host: string;
  /** Serves `handler` for requests whose path (query ignored) is `path`, `'*'` for any other; else 404. */
  on(path: string, handler: Handler): void;
  /** Request URLs (path and query) in arrival order. */
  readonly requests: string[];
  /** Requests whose response has not finished or closed yet, and the most there ever were at once. */
  readonly active: number;
  readonly maxActive: number;
  close(): Promise<void>;
}

export async function createTestServer(): Promise<TestServer> {
  const handlers = new Map<string, Handler>();
  const requests: string[] = [];
  let active = 0;
  let maxActive = 0;
  const server = http.createServer((request, response) => {
    requests.push(request.url ?? '');
    active++;
    maxActive = Math.max(maxActive, active);
    response.once('close', () => active--);
    const handler = handlers.get(new URL(request.url ?? '/', 'http://x').pathname) ?? handlers.get('*');
    if (handler === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    Promise.resolve(handler(request, response)).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    on: (path, handler) => void handlers.set(path, handler),
    requests,
    get active() {
      return active;
    },
    get maxActive() {
      return maxActive;
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Runs `run` with a fresh server and closes it afterwards, whatever happens. */
export async function withServer<T>(run: (server: TestServer) => Promise<T>): Promise<T> {
  const server = await createTestServer();
  try {
    return await run(server);
  } finally {
    await server.close();
  }
}
