import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as wait } from 'node:timers/promises';
import { MANIFEST_FILE } from '../../src/download/manifest.js';
import type { DownloadResult } from '../../src/download/types.js';
import { when } from '../helpers/run-events.js';
import { createTestServer, withServer } from '../helpers/with-server.js';
import { eventTypes, failure, harness, imageBytes, partFiles, tempDir } from './support.js';

describe('Downloader: concurrency', () => {
  test('never more than `concurrency` at once, nor more than `perHost` per host', async () => {
    const servers = [await createTestServer(), await createTestServer()];
    const arrivals = new EventEmitter();
    const held: Array<{ host: number; release: () => void }> = [];
    let running = 0;
    let maxRunning = 0;
    servers.forEach((server, host) =>
      server.on('*', async (_req, res) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        res.once('close', () => running--);
        await new Promise<void>((release) => {
          held.push({ host, release });
          arrivals.emit('arrived');
        });
        res.end(imageBytes('png', 2000));
      }),
    );
    try {
      const h = harness({ dir: await tempDir(), concurrency: 3, perHost: 2 });
      const left = [5, 5];
      const downloads = [0, 1].flatMap((host) =>
        Array.from({ length: 5 }, (_, i) =>
          h.downloader.download({ id: `${host}-${i}`, url: `${servers[host]!.url}/${i}.png` }, h.onEvent).then((r) => {
            left[host]!--;
            arrivals.emit('finished');
            return r;
          }),
        ),
      );
      // Release the requests in waves; each wave must fill every slot the limits allow, no more.
      while (left[0]! + left[1]! > 0) {
        const expected = Math.min(3, Math.min(2, left[0]!) + Math.min(2, left[1]!));
        await when(arrivals, 'arrived', () => held.length >= expected);
        assert.equal(held.length, expected);
        for (const host of [0, 1]) assert.ok(held.filter((x) => x.host === host).length <= 2);
        const wave = held.splice(0);
        const finished = left[0]! + left[1]! - wave.length;
        for (const { release } of wave) release();
        await when(arrivals, 'finished', () => left[0]! + left[1]! === finished);
      }
      const results = await Promise.all(downloads);
      assert.equal(results.length, 10);
      assert.equal(maxRunning, 3);
      assert.deepEqual(servers.map((s) => s.maxActive), [2, 2]);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  test('waiting downloads start in request order', () =>
    withServer(async (server) => {
      server.on('*', (_req, res) => void res.end(imageBytes('jpeg', 100)));
      const h = harness({ dir: await tempDir(), concurrency: 1 });
      const ids = ['e', 'b', 'd', 'a', 'c'];
      await Promise.all(ids.map((id) => h.downloader.download({ id, url: `${server.url}/${id}.jpg` }, h.onEvent)));
      assert.deepEqual(server.requests, ids.map((id) => `/${id}.jpg`));
      assert.equal(server.maxActive, 1);
    }));
});

describe('Downloader: pause and resume', () => {
  test('while paused no bytes are consumed and nothing starts; resume finishes both', () =>
    withServer(async (server) => {
      const chunk = 64 * 1024;
      const body = imageBytes('png', 32 * 1024 * 1024); // far more than the socket buffers hold
      const serverBlocked = new EventEmitter();
      let go!: () => void;
      const started = new Promise<void>((resolve) => (go = resolve));
      server.on('/big.png', async (_req, res: ServerResponse) => {
        res.writeHead(200, { 'content-length': body.length });
        res.write(body.subarray(0, chunk));
        await started;
        for (let at = chunk; at < body.length; at += chunk) {
          if (!res.write(body.subarray(at, at + chunk))) {
            serverBlocked.emit('blocked');
            await once(res, 'drain');
          }
        }
        res.end();
      });
      server.on('/small.png', (_req, res) => void res.end(imageBytes('png', 100)));

      const dir = await tempDir();
      // The idle timeout is short: a pause outlasting it must not fail the download.
      const h = harness({ dir, timeoutMs: 100 });
      let eventsAtPause = -1;
      const big = h.downloader.download({ id: 'big', url: `${server.url}/big.png` }, (event) => {
        h.onEvent(event);
        if (event.type === 'download-progress' && eventsAtPause === -1) {
          h.downloader.pause();
          eventsAtPause = h.events.length;
          go();
        }
      });
      await once(serverBlocked, 'blocked');
      const small = h.downloader.download({ id: 'small', url: `${server.url}/small.png` }, h.onEvent);
      // Paused for several idle timeouts; the server stays blocked because nothing reads.
      await wait(350);
      assert.equal(h.downloader.paused, true);
      assert.equal(h.events.length, eventsAtPause, 'no event while paused');
      const atPause = h.events[eventsAtPause - 1];
      assert.ok(atPause?.type === 'download-progress');
      const [part] = await partFiles(dir);
      assert.equal((await stat(join(dir, part!))).size, atPause.transferred, 'the .part file did not grow');
      assert.ok(atPause.transferred < body.length);
      assert.deepEqual(server.requests, ['/big.png'], 'the second download did not start');

      h.downloader.resume();
      const [bigResult, smallResult] = await Promise.all([big, small]);
      assert.deepEqual(await readFile(bigResult.file), body);
      assert.equal(bigResult.attempts, 1);
      assert.equal(smallResult.attempts, 1);
      assert.deepEqual(server.requests.sort(), ['/big.png', '/small.png']);
      const last = h.events.filter((e) => e.id === 'big').at(-1);
      assert.deepEqual(last?.type === 'download-progress' && [last.transferred, last.total], [body.length, body.length]);
    }));
});

describe('Downloader: cancelling', () => {
  test('aborting the signal mid-body rejects with E_ABORTED and removes the .part file', () =>
    withServer(async (server) => {
      server.on('/a.jpg', (_req, res) => {
        res.writeHead(200, { 'content-length': 100_000 });
        res.write(imageBytes('jpeg', 1000)); // then stalls
      });
      const dir = await tempDir();
      const h = harness({ dir });
      const controller = new AbortController();
      const download = h.downloader.download({ id: 'a', url: `${server.url}/a.jpg`, signal: controller.signal }, (event) => {
        h.onEvent(event);
        if (event.type === 'download-progress') controller.abort();
      });
      const error = await failure(download);
      assert.equal(error.code, 'E_ABORTED');
      assert.equal(error.attempts, 1);
      assert.equal(error.message, `Download of ${server.url}/a.jpg was cancelled`);
      assert.deepEqual(eventTypes(h.events), ['started 1', 'progress']);
      assert.deepEqual(await readdir(dir), []);
    }));

  test('a download aborted while waiting for a slot makes no request', () =>
    withServer(async (server) => {
      server.on('/stall.jpg', (_req, res) => void res.writeHead(200).write(imageBytes('jpeg', 10)));
      server.on('/next.jpg', (_req, res) => void res.end(imageBytes('jpeg', 10)));
      const dir = await tempDir();
      const h = harness({ dir, concurrency: 1 });
      const progress = new EventEmitter();
      const first = h.downloader.download({ id: '1', url: `${server.url}/stall.jpg` }, (event) => progress.emit(event.type));
      const controller = new AbortController();
      const second = h.downloader.download({ id: '2', url: `${server.url}/next.jpg`, signal: controller.signal }, h.onEvent);
      await once(progress, 'download-progress'); // the first holds the only slot
      controller.abort();
      const error = await failure(second);
      assert.equal(error.code, 'E_ABORTED');
      assert.equal(error.attempts, 0);
      await h.downloader.close();
      assert.equal((await failure(first)).code, 'E_ABORTED');
      assert.deepEqual(server.requests, ['/stall.jpg']);
      assert.deepEqual(await readdir(dir), []);
    }));

  test('close() cancels running, waiting and paused downloads and resolves when all are settled', () =>
    withServer(async (server) => {
      server.on('*', (_req, res) => void res.writeHead(200).write(imageBytes('gif', 50)));
      const dir = await tempDir();
      const h = harness({ dir, concurrency: 2 });
      let progressed = 0;
      const progressSeen = new EventEmitter();
      const downloads = ['a', 'b', 'c'].map((id) =>
        h.downloader.download({ id, url: `${server.url}/${id}.gif` }, (event) => {
          if (event.type === 'download-progress') progressed++;
          progressSeen.emit('progress');
        }),
      );
      await when(progressSeen, 'progress', () => progressed === 2);
      h.downloader.pause();
      await h.downloader.close();
      const codes = await Promise.all(downloads.map(async (d) => (await failure(d)).code));
      assert.deepEqual(codes, ['E_ABORTED', 'E_ABORTED', 'E_ABORTED']);
      assert.deepEqual(await readdir(dir), []);
      assert.equal((await failure(h.downloader.download({ id: 'late', url: `${server.url}/d.gif` }, h.onEvent))).code, 'E_ABORTED');
    }));
});

describe('Downloader: manifest', () => {
  test('a URL already complete on disk resolves at once without a request', () =>
    withServer(async (server) => {
      const body = imageBytes('webp', 20_000);
      server.on('/m.webp', (_req, res) => void res.end(body));
      const dir = await tempDir();
      const url = `${server.url}/m.webp?api_key=SECRET9`;
      const first = await harness({ dir }).downloader.download({ id: 'm', url }, () => {});
      assert.equal(server.requests.length, 1);

      const h = harness({ dir });
      const again: DownloadResult = await h.downloader.download({ id: 'm', url }, h.onEvent);
      assert.deepEqual({ ...again, downloadMs: 0 }, { file: first.file, bytes: body.length, sha256: first.sha256, attempts: 0, downloadMs: 0, fromManifest: true });
      assert.equal(server.requests.length, 1, 'no request');
      assert.deepEqual(h.events, []);
      assert.ok(!(await readFile(join(dir, MANIFEST_FILE), 'utf8')).includes('SECRET9'));
    }));

  test('a listed file that changed on disk is downloaded again into the same name', () =>
    withServer(async (server) => {
      const body = imageBytes('jpeg', 5000);
      server.on('/m.jpg', (_req, res) => void res.end(body));
      const dir = await tempDir();
      const url = `${server.url}/m.jpg`;
      const first = await harness({ dir }).downloader.download({ id: 'm', url }, () => {});
      await writeFile(first.file, imageBytes('jpeg', 5000, 99)); // same size, other bytes
      const again = await harness({ dir }).downloader.download({ id: 'm', url }, () => {});
      assert.equal(again.fromManifest, false);
      assert.equal(again.attempts, 1);
      assert.equal(basename(again.file), 'm.jpg');
      assert.deepEqual(await readFile(again.file), body);
      assert.equal(server.requests.length, 2);
      assert.deepEqual((await readdir(dir)).sort(), ['m.jpg', MANIFEST_FILE]);
    }));
});
