import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import got from 'got';
import type { DownloaderOptions } from '../../src/download/downloader.js';
import { MANIFEST_FILE, parseManifest } from '../../src/download/manifest.js';
import { withServer, type Handler } from '../helpers/with-server.js';
import { eventTypes, failure, harness, imageBytes, partFiles, sha256, tempDir } from './support.js';

/**
 * The fault matrix: one misbehaving local server per fault, through the real Downloader. Each fault
 * ends in a defined state: the exact code and message a person reads, how many requests were made,
 * no `.part` file left and nothing under a final name. Timeouts are 200 ms; retry sleeps are instant.
 */

const PNG = imageBytes('png', 4000);

/** Headers, `body`, then silence with the connection left open. */
function stallAfter(body: Buffer, headers: Record<string, number | string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', ...headers });
    if (body.length > 0) res.write(body);
    else res.flushHeaders();
  };
}

interface Fault {
  name: string;
  path: string;
  handler: Handler;
  options?: Omit<DownloaderOptions, 'dir'>;
  code: string;
  /** The whole message, `URL` standing for the URL requested. */
  message: string;
  attempts: number;
}

const FAULTS: Fault[] = [
  {
    name: 'a redirect loop',
    path: '/loop.png',
    handler: (_req, res) => void res.writeHead(302, { location: '/loop.png' }).end(),
    code: 'E_REDIRECTS',
    message: 'GET URL was redirected more than 10 times (a redirect loop?)',
    attempts: 1,
  },
  {
    name: 'a body over --max-bytes, announced by Content-Length',
    path: '/big.png',
    handler: (_req, res) => void res.writeHead(200, { 'content-length': PNG.length }).end(PNG),
    options: { maxBytes: 3000 },
    code: 'E_TOO_LARGE',
    message: 'GET URL: Content-Length 4000 is over the 3000-byte limit (raise --max-bytes to allow it)',
    attempts: 1,
  },
  {
    name: 'a body over --max-bytes without Content-Length',
    path: '/chunked.png',
    handler: (_req, res) => {
      res.write(PNG); // a write before end(): chunked, no Content-Length
      res.end();
    },
    options: { maxBytes: 3000 },
    code: 'E_TOO_LARGE',
    message: 'GET URL: the body is over the 3000-byte limit (raise --max-bytes to allow it)',
    attempts: 1,
  },
  {
    name: 'a server that accepts the connection and never answers',
    path: '/silent.png',
    handler: () => undefined,
    code: 'E_TIMEOUT',
    message: 'GET URL timed out: the server accepted the connection but sent no response for 200 ms',
    attempts: 2,
  },
  {
    name: 'a server that sends the headers and stalls',
    path: '/headers-only.png',
    handler: stallAfter(Buffer.alloc(0)),
    code: 'E_TIMEOUT',
    message: 'GET URL timed out: the server sent the headers, then no data for 200 ms',
    attempts: 2,
  },
  {
    name: 'a Content-Length larger than the body, the connection left open',
    path: '/short-open.png',
    handler: stallAfter(PNG, { 'content-length': 8000 }),
    code: 'E_TIMEOUT',
    message: 'GET URL timed out: no data for 200 ms after 4000 of 8000 bytes',
    attempts: 2,
  },
  {
    name: 'a Content-Length larger than the body, the connection closed',
    path: '/short-closed.png',
    handler: (_req, res) => {
      res.writeHead(200, { 'content-length': 8000 });
      res.write(PNG, () => res.destroy());
    },
    code: 'E_TRUNCATED',
    message: 'GET URL: the body was cut short after 4000 of 8000 bytes (ERR_HTTP_CONTENT_LENGTH_MISMATCH)',
    attempts: 2,
  },
  {
    name: 'a Content-Length smaller than the body',
    path: '/long.png',
    // One write, so that the surplus arrives with the body (node:http would send it as it is).
    handler: (_req, res) => void res.writeHead(200, { 'content-length': 1000 }).end(PNG),
    code: 'E_BAD_RESPONSE',
    message:
      "GET URL failed: the server's response is not valid HTTP (HPE_INVALID_CONSTANT: Expected HTTP/, RTSP/ or ICE/), for example a body longer than its Content-Length",
    attempts: 1,
  },
  {
    name: 'a body that claims to be gzip and is not',
    path: '/fake-gzip.png',
    handler: (_req, res) => void res.writeHead(200, { 'content-encoding': 'gzip' }).end(PNG),
    code: 'E_BAD_RESPONSE',
    message: 'GET URL failed: the body could not be decoded as its Content-Encoding says (Z_DATA_ERROR: incorrect header check)',
    attempts: 1,
  },
  {
    name: 'a 200 with an empty body',
    path: '/empty.png',
    handler: (_req, res) => void res.writeHead(200, { 'content-type': 'image/png' }).end(),
    code: 'E_EMPTY_BODY',
    message: 'GET URL answered with an empty body',
    attempts: 1,
  },
];

describe('fault matrix: each fault ends in a defined state with a reason', () => {
  for (const fault of FAULTS) {
    // A fault that is not caught (a stall without its timeout) fails here rather than hanging the suite.
    test(fault.name, { timeout: 10_000 }, () =>
      withServer(async (server) => {
        server.on(fault.path, fault.handler);
        const dir = await tempDir();
        const h = harness({ dir, timeoutMs: 200, retries: 1, ...fault.options });
        const url = `${server.url}${fault.path}`;
        const error = await failure(h.downloader.download({ id: 'f', url }, h.onEvent));
        assert.deepEqual(
          { code: error.code, message: error.message, attempts: error.attempts },
          { code: fault.code, message: fault.message.replace('URL', url), attempts: fault.attempts },
        );
        assert.equal(server.requests.filter((r) => r === fault.path).length, fault.code === 'E_REDIRECTS' ? 11 : fault.attempts);
        const retries = h.events.filter((e) => e.type === 'download-retrying');
        assert.deepEqual(retries.map((e) => e.error), fault.attempts === 2 ? [{ code: error.code, message: error.message }] : []);
        assert.deepEqual(await readdir(dir), [], 'no .part file, no final name, no manifest entry');
      }));
  }

  test('a host name that does not resolve is E_DNS, not retried', async () => {
    const dir = await tempDir();
    const h = harness({ dir, retries: 3 });
    const url = 'http://stardash-test.invalid/sky.png';
    const error = await failure(h.downloader.download({ id: 'dns', url }, h.onEvent));
    assert.equal(error.code, 'E_DNS');
    assert.equal(error.attempts, 1);
    assert.equal(
      error.message,
      `GET ${url} failed: could not resolve host stardash-test.invalid (ENOTFOUND); check the host name in the URL and your network connection`,
    );
    assert.deepEqual(h.delays, []);
    assert.deepEqual(await readdir(dir), []);
  });

  test('E_DNS does not depend on the machine having DNS: the lookup is the one got is given', async () => {
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND sky.example'), { code: 'ENOTFOUND', hostname: 'sky.example' });
    const lookup = (_host: string, _options: unknown, callback: (error: Error) => void): void => callback(notFound);
    const h = harness({ dir: await tempDir(), got: got.extend({ dnsLookup: lookup as never }) });
    const error = await failure(h.downloader.download({ id: 'dns', url: 'http://sky.example/a.jpg?api_key=SECRET-DNS' }, h.onEvent));
    assert.equal(error.code, 'E_DNS');
    assert.match(error.message, /^GET http:\/\/sky\.example\/a\.jpg\?api_key=\*\*\* failed: could not resolve host sky\.example \(ENOTFOUND\)/);
  });
});

describe('fault matrix: what must still work', () => {
  test('a gzip-encoded image is decoded: the file holds the image bytes', () =>
    withServer(async (server) => {
      const png = imageBytes('png', 50_000);
      const gzipped = gzipSync(png);
      server.on('/sky.png', (req, res: ServerResponse) => {
        assert.equal(req.headers['accept-encoding'], 'identity', 'asks for the bytes as they are');
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': gzipped.length, 'content-type': 'image/png' }).end(gzipped);
      });
      const dir = await tempDir();
      const h = harness({ dir, maxBytes: 50_000 });
      const result = await h.downloader.download({ id: 'gz', url: `${server.url}/sky.png` }, h.onEvent);
      assert.deepEqual(await readFile(result.file), png);
      assert.deepEqual([result.bytes, result.sha256, result.attempts], [png.length, sha256(png), 1]);
      assert.deepEqual(eventTypes(h.events), ['started 1', 'progress']);
      // Content-Length counts gzip bytes, so progress has no total until the end.
      const progress = h.events.filter((e) => e.type === 'download-progress');
      assert.ok(progress.slice(0, -1).every((e) => e.total === undefined));
      assert.equal(progress.at(-1)?.total, png.length);
      assert.deepEqual((await readdir(dir)).sort(), [MANIFEST_FILE, 'sky.png']);
    }));

  test('a gzip bomb stops at --max-bytes of decoded bytes', () =>
    withServer(async (server) => {
      const bomb = gzipSync(Buffer.concat([PNG, Buffer.alloc(20_000_000)]));
      server.on('/bomb.png', (_req, res) => void res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': bomb.length }).end(bomb));
      const dir = await tempDir();
      const h = harness({ dir, maxBytes: 1_000_000 });
      const error = await failure(h.downloader.download({ id: 'bomb', url: `${server.url}/bomb.png` }, h.onEvent));
      assert.ok(bomb.length < 1_000_000, 'the encoded body is under the limit');
      assert.equal(error.code, 'E_TOO_LARGE');
      assert.equal(error.message, `GET ${server.url}/bomb.png: the body is over the 1000000-byte limit (raise --max-bytes to allow it)`);
      assert.deepEqual(await partFiles(dir), []);
      assert.deepEqual(await readdir(dir), []);
    }));

  test('after every fault in one folder, the good downloads are intact and listed', { timeout: 10_000 }, () =>
    withServer(async (server) => {
      for (const fault of FAULTS) server.on(fault.path, fault.handler);
      const good = imageBytes('jpeg', 2000, 7);
      server.on('/good.jpg', (_req, res) => void res.end(good));
      const dir = await tempDir();
      const h = harness({ dir, timeoutMs: 200, retries: 0, maxBytes: 3000, concurrency: 16, perHost: 16 });
      const urls = [...FAULTS.map((f) => `${server.url}${f.path}`), `${server.url}/good.jpg`];
      const settled = await Promise.allSettled(urls.map((url, i) => h.downloader.download({ id: String(i), url }, h.onEvent)));
      assert.deepEqual(settled.map((s) => s.status), [...FAULTS.map(() => 'rejected'), 'fulfilled']);
      assert.deepEqual((await readdir(dir)).sort(), ['good.jpg', MANIFEST_FILE]);
      assert.deepEqual(await readFile(join(dir, 'good.jpg')), good);
      const manifest = parseManifest(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
      assert.deepEqual([...manifest.keys()], [`${server.url}/good.jpg`]);
    }));
});
