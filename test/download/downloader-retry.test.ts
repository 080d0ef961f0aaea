import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { MANIFEST_FILE } from '../../src/download/manifest.js';
import { withServer } from '../helpers/with-server.js';
import { eventTypes, failure, harness, imageBytes, partFiles, tempDir } from './support.js';

describe('Downloader: retries', () => {
  test('a 503 once recovers on attempt 2 after a backoff with jitter', () =>
    withServer(async (server) => {
      const body = imageBytes('jpeg', 10_000);
      let calls = 0;
      server.on('/a.jpg', (_req, res) => void (++calls === 1 ? res.writeHead(503).end('busy') : res.end(body)));
      const dir = await tempDir();
      const h = harness({ dir, now: () => Date.parse('2026-01-01T00:00:00.000Z') });
      const result = await h.downloader.download({ id: 'a', url: `${server.url}/a.jpg` }, h.onEvent);
      assert.equal(result.attempts, 2);
      assert.deepEqual(await readFile(result.file), body);
      assert.deepEqual(h.delays, [375]); // 500 ms ceiling, equal jitter with random() = 0.5
      assert.deepEqual(eventTypes(h.events), ['started 1', 'retrying 2 E_HTTP_503', 'started 2', 'progress']);
      const retrying = h.events.find((e) => e.type === 'download-retrying');
      assert.deepEqual(retrying, {
        type: 'download-retrying',
        id: 'a',
        attempt: 2,
        delayMs: 375,
        retryAt: '2026-01-01T00:00:00.375Z',
        error: { code: 'E_HTTP_503', message: `GET ${server.url}/a.jpg answered HTTP 503 Service Unavailable` },
      });
      assert.deepEqual((await readdir(dir)).sort(), ['a.jpg', MANIFEST_FILE]);
    }));

  test('5xx every time gives up after the retries with the last error; delays double', () =>
    withServer(async (server) => {
      server.on('/a.jpg', (_req, res) => void res.writeHead(502).end());
      const h = harness({ dir: await tempDir(), retries: 3 });
      const error = await failure(h.downloader.download({ id: 'a', url: `${server.url}/a.jpg` }, h.onEvent));
      assert.equal(error.code, 'E_HTTP_502');
      assert.equal(error.attempts, 4);
      assert.equal(server.requests.length, 4);
      assert.deepEqual(h.delays, [375, 750, 1500]);
    }));

  test('429 with Retry-After waits exactly that long', () =>
    withServer(async (server) => {
      let calls = 0;
      server.on('/a.png', (_req, res) => void (++calls === 1 ? res.writeHead(429, { 'retry-after': '7' }).end() : res.end(imageBytes('png', 100))));
      const h = harness({ dir: await tempDir() });
      const result = await h.downloader.download({ id: 'a', url: `${server.url}/a.png` }, h.onEvent);
      assert.equal(result.attempts, 2);
      assert.deepEqual(h.delays, [7000]);
      assert.deepEqual(eventTypes(h.events), ['started 1', 'retrying 2 E_HTTP_429', 'started 2', 'progress']);
    }));

  test('503 with a Retry-After date waits until then by the injected clock', () =>
    withServer(async (server) => {
      const now = Date.parse('2024-05-01T12:00:00Z');
      let calls = 0;
      server.on('/a.png', (_req, res) =>
        void (++calls === 1 ? res.writeHead(503, { 'retry-after': 'Wed, 01 May 2024 12:00:05 GMT' }).end() : res.end(imageBytes('png', 100))));
      const h = harness({ dir: await tempDir(), now: () => now });
      await h.downloader.download({ id: 'a', url: `${server.url}/a.png` }, h.onEvent);
      assert.deepEqual(h.delays, [5000]);
    }));

  test('a body cut short (fewer bytes than Content-Length) is retried and then complete', () =>
    withServer(async (server) => {
      const body = imageBytes('png', 50_000);
      let calls = 0;
      server.on('/a.png', (_req, res) => {
        res.writeHead(200, { 'content-length': body.length });
        if (++calls === 1) res.write(body.subarray(0, 20_000), () => res.destroy());
        else res.end(body);
      });
      const dir = await tempDir();
      const h = harness({ dir });
      const result = await h.downloader.download({ id: 'a', url: `${server.url}/a.png` }, h.onEvent);
      assert.equal(result.attempts, 2);
      assert.deepEqual(await readFile(result.file), body);
      const retrying = h.events.find((e) => e.type === 'download-retrying');
      assert.equal(retrying?.type === 'download-retrying' && retrying.error.code, 'E_TRUNCATED');
      assert.match(retrying?.type === 'download-retrying' ? retrying.error.message : '', /the body was cut short after \d+ of 50000 bytes/);
      assert.deepEqual(await partFiles(dir), []);
    }));

  test('a connection reset is retried as E_NETWORK naming the errno', () =>
    withServer(async (server) => {
      let calls = 0;
      server.on('/a.gif', (req, res) => void (++calls === 1 ? req.socket.destroy() : res.end(imageBytes('gif', 100))));
      const h = harness({ dir: await tempDir() });
      const result = await h.downloader.download({ id: 'a', url: `${server.url}/a.gif` }, h.onEvent);
      assert.equal(result.attempts, 2);
      const retrying = h.events.find((e) => e.type === 'download-retrying');
      assert.ok(retrying?.type === 'download-retrying');
      assert.equal(retrying.error.code, 'E_NETWORK');
      assert.match(retrying.error.message, /^GET http:\/\/127\.0\.0\.1:\d+\/a\.gif failed: network error ECONNRESET/);
    }));

  test('a refused connection is E_NETWORK ECONNREFUSED after the retries', async () => {
    const port = await withServer(async (server) => Number(new URL(server.url).port));
    const h = harness({ dir: await tempDir(), retries: 2 });
    const error = await failure(h.downloader.download({ id: 'a', url: `http://127.0.0.1:${port}/a.jpg` }, h.onEvent));
    assert.equal(error.code, 'E_NETWORK');
    assert.equal(error.attempts, 3);
    assert.match(error.message, /ECONNREFUSED/);
  });

  test('a stalled response is E_TIMEOUT after the retries, with no .part left', () =>
    withServer(async (server) => {
      server.on('/slow.jpg', (_req, res) => {
        res.writeHead(200, { 'content-length': 10_000 });
        res.write(imageBytes('jpeg', 100)); // … and nothing more
      });
      const dir = await tempDir();
      const h = harness({ dir, retries: 1, timeoutMs: 200 });
      const error = await failure(h.downloader.download({ id: 's', url: `${server.url}/slow.jpg` }, h.onEvent));
      assert.equal(error.code, 'E_TIMEOUT');
      assert.equal(error.attempts, 2);
      assert.equal(error.message, `GET ${server.url}/slow.jpg timed out: no data for 200 ms after 100 of 10000 bytes`);
      assert.equal(server.requests.length, 2);
      assert.deepEqual(eventTypes(h.events), ['started 1', 'progress', 'retrying 2 E_TIMEOUT', 'started 2', 'progress']);
      assert.deepEqual(await readdir(dir), []);
    }));

  test('404 is never retried', () =>
    withServer(async (server) => {
      const h = harness({ dir: await tempDir(), retries: 5 });
      const error = await failure(h.downloader.download({ id: 'a', url: `${server.url}/gone.png` }, h.onEvent));
      assert.equal(error.code, 'E_HTTP_404');
      assert.equal(error.attempts, 1);
      assert.deepEqual(h.delays, []);
    }));
});
