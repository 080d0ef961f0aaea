import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { MANIFEST_FILE, parseManifest } from '../../src/download/manifest.js';
import { withServer } from '../helpers/with-server.js';
import { eventTypes, failure, harness, imageBytes, partFiles, sha256, tempDir } from './support.js';

describe('Downloader: complete downloads', () => {
  test('streams the body to its final name: same bytes, SHA-256, one attempt, manifest entry', () =>
    withServer(async (server) => {
      const body = imageBytes('png', 300_000);
      server.on('/sky/M31.png', (_req, res) => void res.writeHead(200, { 'content-type': 'image/png', etag: '"v1"' }).end(body));
      const dir = await tempDir();
      const h = harness({ dir });
      const result = await h.downloader.download({ id: 'm31', url: `${server.url}/sky/M31.png` }, h.onEvent);

      assert.equal(result.file, join(dir, 'M31.png'));
      assert.deepEqual(await readFile(result.file), body);
      assert.equal(result.bytes, body.length);
      assert.equal(result.sha256, sha256(body));
      assert.equal(result.attempts, 1);
      assert.equal(result.fromManifest, false);
      assert.deepEqual(eventTypes(h.events), ['started 1', 'progress']);
      const last = h.events.at(-1);
      assert.ok(last?.type === 'download-progress');
      assert.deepEqual(last, { type: 'download-progress', id: 'm31', transferred: body.length, total: body.length, bytesPerSecond: last.bytesPerSecond });
      assert.deepEqual(await readdir(dir), ['M31.png', MANIFEST_FILE].sort());
      const manifest = parseManifest(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
      assert.deepEqual([...manifest.keys()], [`${server.url}/sky/M31.png`]);
      assert.equal(manifest.get(`${server.url}/sky/M31.png`)?.sha256, sha256(body));
      assert.equal(manifest.get(`${server.url}/sky/M31.png`)?.etag, '"v1"');
      assert.equal(manifest.get(`${server.url}/sky/M31.png`)?.file, 'M31.png');
    }));

  test('progress: at most one event per 100 ms plus one at the end, with Content-Length and rate', () =>
    withServer(async (server) => {
      const body = imageBytes('jpeg', 2_000_000);
      let clock = 0;
      server.on('/big.jpg', (_req, res) => {
        clock = 2000; // the request is under way: 2 s pass, then time stands still
        res.writeHead(200, { 'content-length': body.length });
        res.end(body);
      });
      const h = harness({ dir: await tempDir(), now: () => clock });
      await h.downloader.download({ id: 'big', url: `${server.url}/big.jpg` }, h.onEvent);
      const progress = h.events.filter((e) => e.type === 'download-progress');
      assert.equal(progress.length, 2, 'the first chunk, then nothing until the end');
      const [first, last] = progress;
      assert.ok(first !== undefined && first.transferred > 0 && first.transferred < body.length);
      assert.deepEqual(first, { type: 'download-progress', id: 'big', transferred: first.transferred, total: body.length, bytesPerSecond: Math.round(first.transferred / 2) });
      assert.deepEqual(last, { type: 'download-progress', id: 'big', transferred: body.length, total: body.length, bytesPerSecond: body.length / 2 });
    }));

  test('progress: one event per chunk when 100 ms pass between chunks; no total without Content-Length', () =>
    withServer(async (server) => {
      let clock = 0;
      server.on('/chunked.gif', async (_req, res) => {
        for (let i = 0; i < 4; i++) {
          res.write(imageBytes('gif', 1000, i));
          await new Promise((resolve) => setImmediate(resolve));
        }
        res.end();
      });
      const h = harness({ dir: await tempDir(), now: () => (clock += 100) });
      const result = await h.downloader.download({ id: 'c', url: `${server.url}/chunked.gif` }, h.onEvent);
      const progress = h.events.filter((e) => e.type === 'download-progress');
      assert.ok(progress.length >= 3, `${progress.length} progress events`);
      const transferred = progress.map((e) => e.transferred);
      assert.deepEqual(transferred, [...transferred].sort((a, b) => a - b));
      assert.ok(progress.slice(0, -1).every((e) => e.total === undefined));
      assert.equal(progress.at(-1)?.transferred, 4000);
      assert.equal(progress.at(-1)?.total, 4000);
      assert.equal(result.bytes, 4000);
    }));

  test('names by the bytes, not by Content-Type or the URL, and numbers collisions', () =>
    withServer(async (server) => {
      const jpeg = imageBytes('jpeg', 5000);
      const webp = imageBytes('webp', 5000);
      server.on('/a/photo.png', (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end(jpeg));
      server.on('/b/photo.png', (_req, res) => void res.writeHead(200, { 'content-type': 'image/png' }).end(jpeg));
      server.on('/c/photo', (_req, res) => void res.end(webp));
      const h = harness({ dir: await tempDir() });
      const a = await h.downloader.download({ id: 'a', url: `${server.url}/a/photo.png` }, h.onEvent);
      const b = await h.downloader.download({ id: 'b', url: `${server.url}/b/photo.png` }, h.onEvent);
      const c = await h.downloader.download({ id: 'c', url: `${server.url}/c/photo` }, h.onEvent);
      assert.deepEqual([a.file, b.file, c.file].map((f) => basename(f)), ['photo.jpg', 'photo-2.jpg', 'photo.webp']);
      assert.deepEqual(await readFile(c.file), webp);
    }));

  test('does not overwrite files already in the folder', () =>
    withServer(async (server) => {
      const dir = await tempDir();
      const h1 = harness({ dir });
      server.on('/x.tif', (_req, res) => void res.end(imageBytes('tiff', 100)));
      await h1.downloader.download({ id: '1', url: `${server.url}/x.tif` }, h1.onEvent);
      const h2 = harness({ dir });
      const second = await h2.downloader.download({ id: '2', url: `${server.url}/x.tif?v=2` }, h2.onEvent);
      assert.equal(basename(second.file), 'x-2.tif');
    }));

  test('keeps hostile URLs inside the folder', () =>
    withServer(async (server) => {
      server.on('*', (_req, res) => void res.end(imageBytes('png', 64)));
      const parent = await tempDir();
      const dir = join(parent, 'downloads', 'nested');
      const h = harness({ dir });
      const paths = ['/../../etc/passwd', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/..%5C..%5Cboot.ini', `/${'n'.repeat(400)}.png`, '/star%01%0a%1b.png', '/.profile', ''];
      const names: string[] = [];
      for (const [i, path] of paths.entries()) {
        const result = await h.downloader.download({ id: String(i), url: `${server.url}${path}` }, h.onEvent);
        assert.equal(dirname(result.file), dir, path);
        names.push(basename(result.file));
      }
      assert.deepEqual(names, ['passwd.png', '_.._etc_passwd.png', '_.._boot.ini.png', `${'n'.repeat(116)}.png`, 'star_.png', 'profile.png', 'image.png']);
      assert.deepEqual((await readdir(dir)).sort(), [...names, MANIFEST_FILE].sort());
      assert.deepEqual(await readdir(parent), ['downloads']);
    }));
});

describe('Downloader: permanent failures', () => {
  test('404 fails at once with E_HTTP_404, one attempt, no file', () =>
    withServer(async (server) => {
      const dir = await tempDir();
      const h = harness({ dir });
      const error = await failure(h.downloader.download({ id: 'x', url: `${server.url}/missing.jpg` }, h.onEvent));
      assert.equal(error.code, 'E_HTTP_404');
      assert.equal(error.attempts, 1);
      assert.equal(error.message, `GET ${server.url}/missing.jpg answered HTTP 404 Not Found`);
      assert.deepEqual(h.delays, []);
      assert.deepEqual(eventTypes(h.events), ['started 1']);
      assert.deepEqual(server.requests, ['/missing.jpg']);
      assert.deepEqual(await readdir(dir), []);
    }));

  test('an HTML page is E_NOT_AN_IMAGE and is not retried', () =>
    withServer(async (server) => {
      server.on('/apod.jpg', (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html>Rate limited</html>'));
      const dir = await tempDir();
      const h = harness({ dir });
      const error = await failure(h.downloader.download({ id: 'x', url: `${server.url}/apod.jpg` }, h.onEvent));
      assert.equal(error.code, 'E_NOT_AN_IMAGE');
      assert.equal(error.attempts, 1);
      assert.match(error.message, /apod\.jpg is not an image \(Content-Type text\/html, first bytes 3c 21 44 4f 43 54 59 50\)/);
      assert.equal(server.requests.length, 1);
      assert.deepEqual(await readdir(dir), []);
    }));

  test('a body over maxBytes is E_TOO_LARGE, by Content-Length before any byte is written', () =>
    withServer(async (server) => {
      server.on('/huge.png', (_req, res) => void res.writeHead(200, { 'content-length': 2000 }).end(imageBytes('png', 2000)));
      const dir = await tempDir();
      const h = harness({ dir, maxBytes: 1000 });
      const error = await failure(h.downloader.download({ id: 'x', url: `${server.url}/huge.png` }, h.onEvent));
      assert.equal(error.code, 'E_TOO_LARGE');
      assert.equal(error.attempts, 1);
      assert.match(error.message, /Content-Length 2000 is over the 1000-byte limit/);
      assert.deepEqual(eventTypes(h.events), ['started 1']);
      assert.deepEqual(await readdir(dir), []);
    }));

  test('a body over maxBytes is E_TOO_LARGE by counting when there is no Content-Length', () =>
    withServer(async (server) => {
      server.on('/stream.png', async (_req, res) => {
        for (let i = 0; i < 10 && !res.destroyed; i++) {
          res.write(imageBytes('png', 500, i));
          await new Promise((resolve) => setImmediate(resolve));
        }
        res.end();
      });
      const dir = await tempDir();
      const h = harness({ dir, maxBytes: 1200 });
      const error = await failure(h.downloader.download({ id: 'x', url: `${server.url}/stream.png` }, h.onEvent));
      assert.equal(error.code, 'E_TOO_LARGE');
      assert.equal(error.attempts, 1);
      assert.match(error.message, /the body is over the 1200-byte limit/);
      const progress = h.events.filter((e) => e.type === 'download-progress');
      assert.ok(progress.every((e) => e.transferred <= 1200));
      assert.deepEqual(await readdir(dir), []);
    }));

  test('an empty 200 body is E_EMPTY_BODY', () =>
    withServer(async (server) => {
      server.on('/empty.jpg', (_req, res) => void res.writeHead(200, { 'content-type': 'image/jpeg' }).end());
      const dir = await tempDir();
      const h = harness({ dir });
      const error = await failure(h.downloader.download({ id: 'x', url: `${server.url}/empty.jpg` }, h.onEvent));
      assert.equal(error.code, 'E_EMPTY_BODY');
      assert.equal(error.attempts, 1);
      assert.deepEqual(await readdir(dir), []);
    }));

  test('a redirect loop is E_REDIRECTS', () =>
    withServer(async (server) => {
      server.on('/loop', (_req, res) => void res.writeHead(302, { location: '/loop' }).end());
      const h = harness({ dir: await tempDir() });
      const error = await failure(h.downloader.download({ id: 'x', url: `${server.url}/loop` }, h.onEvent));
      assert.equal(error.code, 'E_REDIRECTS');
      assert.equal(error.attempts, 1);
      assert.equal(error.message, `GET ${server.url}/loop was redirected more than 10 times (a redirect loop?)`);
      assert.equal(server.requests.length, 11);
    }));

  test('redirects are followed to the image', () =>
    withServer(async (server) => {
      const body = imageBytes('jpeg', 1000);
      server.on('/old', (_req, res) => void res.writeHead(301, { location: '/new/image.jpg' }).end());
      server.on('/new/image.jpg', (_req, res) => void res.end(body));
      const h = harness({ dir: await tempDir() });
      const result = await h.downloader.download({ id: 'x', url: `${server.url}/old` }, h.onEvent);
      assert.deepEqual(await readFile(result.file), body);
      assert.equal(basename(result.file), 'old.jpg');
    }));

  test('an API key in the URL never shows in the error, its cause or the events', () =>
    withServer(async (server) => {
      server.on('/img.jpg', (_req, res) => void res.writeHead(503).end('busy'));
      const h = harness({ dir: await tempDir(), retries: 1 });
      const url = `${server.url}/img.jpg?api_key=SECRET-123&date=2024-01-01`;
      const error = await failure(h.downloader.download({ id: 'x', url }, h.onEvent));
      assert.equal(error.code, 'E_HTTP_503');
      assert.equal(error.attempts, 2);
      assert.equal(error.message, `GET ${server.url}/img.jpg?api_key=***&date=2024-01-01 answered HTTP 503 Service Unavailable`);
      const everything = [error.message, error.stack, String(error.cause), (error.cause as Error).stack, JSON.stringify(h.events)].join('\n');
      assert.ok(!everything.includes('SECRET-123'), everything);
      assert.ok(server.requests.every((r) => r.includes('api_key=SECRET-123')), 'the server still got the key');
    }));

  test('a URL that is not http(s) is E_BAD_URL without a request', async () => {
    const h = harness({ dir: await tempDir() });
    const error = await failure(h.downloader.download({ id: 'x', url: 'ftp://h.test/a.jpg?token=abc' }, h.onEvent));
    assert.equal(error.code, 'E_BAD_URL');
    assert.equal(error.attempts, 0);
    assert.equal(error.message, 'ftp://h.test/a.jpg?token=*** is not an http(s) URL');
  });
});

describe('Downloader: no .part file is ever left', () => {
  test('after each kind of failure the folder holds no .part file', () =>
    withServer(async (server) => {
      server.on('/html', (_req, res) => void res.end('<html></html>'));
      server.on('/half', (_req, res) => {
        res.writeHead(200, { 'content-length': 10_000 });
        res.write(imageBytes('png', 5000), () => res.destroy());
      });
      const dir = await tempDir();
      const h = harness({ dir, retries: 0, maxBytes: 3000 });
      for (const path of ['/html', '/half', '/missing']) {
        await failure(h.downloader.download({ id: path, url: `${server.url}${path}` }, h.onEvent));
        assert.deepEqual(await partFiles(dir), [], path);
      }
    }));
});
