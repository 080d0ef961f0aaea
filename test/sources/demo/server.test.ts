import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { test } from 'node:test';
import sharp from 'sharp';
import { DemoOptionsError, parseRange, startDemoServer } from '../../../src/sources/demo/server.js';
import { skyPlan, truthOf } from '../../../src/sources/demo/sky.js';
import { THROTTLE_TICK_MS, throttleChunkBytes, type DemoTimers } from '../../../src/sources/demo/throttle.js';
import { fetchRaw } from './http.js';

/** Timers that fire on the next turn whatever the delay, and remember the delays asked for. */
function instantTimers(): { timers: DemoTimers; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    timers: {
      setTimeout: (callback, ms) => (delays.push(ms), setImmediate(callback)),
      clearTimeout: (handle) => clearImmediate(handle as NodeJS.Immediate),
    },
  };
}

const json = (body: Buffer): unknown => JSON.parse(body.toString('utf8'));

test('the APOD route answers like NASA: JSON entries pointing at this server, Content-Length exact', async (t) => {
  const server = await startDemoServer({ count: 12 });
  t.after(() => server.close());
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(server.apiUrl, `${server.url}/planetary/apod`);
  const got = await fetchRaw(`${server.apiUrl}?api_key=DEMO_KEY&count=12&thumbs=false`);
  assert.equal(got.status, 200);
  assert.equal(got.headers?.['content-type'], 'application/json');
  assert.equal(Number(got.headers?.['content-length']), got.body.length);
  const entries = json(got.body) as { media_type: string; hdurl?: string; url: string }[];
  assert.equal(entries.length, 12);
  assert.equal(entries.filter((e) => e.media_type === 'video').length, 1);
  for (const e of entries.filter((x) => x.media_type === 'image')) assert.ok(e.hdurl?.startsWith(`${server.url}/images/`) && e.url.startsWith(server.url));
});

test('a wrong api_key is a 403 JSON error, and the log never holds a key', async (t) => {
  const server = await startDemoServer({ apiKey: 'right-key' });
  t.after(() => server.close());
  const got = await fetchRaw(`${server.apiUrl}?api_key=secret-wrong-key&count=1`);
  assert.equal(got.status, 403);
  assert.equal((json(got.body) as { error: { code: string } }).error.code, 'API_KEY_INVALID');
  assert.equal((await fetchRaw(`${server.apiUrl}?api_key=right-key&count=1`)).status, 200);
  assert.deepEqual(server.requests.map((r) => [r.path, r.status]), [['/planetary/apod?api_key=***&count=1', 403], ['/planetary/apod?api_key=***&count=1', 200]]);
});

test('images: the rendered sky, encoded, with type, length, ETag, ranges and a smaller sd variant', async (t) => {
  const server = await startDemoServer();
  t.after(() => server.close());
  const plan = skyPlan(1, 0); // 1168×1754 JPEG
  const url = `${server.url}/images/0.jpg`;
  const got = await fetchRaw(url);
  assert.equal(got.status, 200);
  assert.equal(got.headers?.['content-type'], 'image/jpeg');
  assert.equal(Number(got.headers?.['content-length']), got.body.length);
  assert.deepEqual(await sharp(got.body).metadata().then((m) => [m.format, m.width, m.height]), ['jpeg', plan.width, plan.height]);
  const etag = String(got.headers?.etag);
  assert.ok(got.headers?.['last-modified']);
  assert.equal((await fetchRaw(url, { headers: { 'If-None-Match': etag } })).status, 304);
  const part = await fetchRaw(url, { headers: { Range: 'bytes=100-' } });
  assert.equal(part.status, 206);
  assert.equal(part.headers?.['content-range'], `bytes 100-${got.body.length - 1}/${got.body.length}`);
  assert.deepEqual(part.body, got.body.subarray(100));
  const head = await fetchRaw(url, { method: 'HEAD' });
  assert.equal(head.headers?.['content-length'], String(got.body.length));
  assert.equal(head.body.length, 0);
  const sd = await fetchRaw(`${server.url}/images/0-sd.jpg`);
  assert.deepEqual(await sharp(sd.body).metadata().then((m) => [m.width, m.height]), [1024, Math.round((plan.height * 1024) / plan.width)]);
});

test('the truth route gives the drawn stars; unknown paths, the video and other methods are refused', async (t) => {
  const server = await startDemoServer({ count: 12 });
  t.after(() => server.close());
  const truth = json((await fetchRaw(`${server.url}/truth/2.json`)).body) as { width: number; stars: unknown };
  assert.equal(truth.width, skyPlan(1, 2).width);
  assert.deepEqual(truth.stars, truthOf(skyPlan(1, 2)));
  const ext = skyPlan(1, 2).format === 'png' ? 'jpg' : 'png';
  for (const path of ['/nope', '/images/12.jpg', '/images/5.jpg', `/images/2.${ext}`, '/truth/5.json', '/truth/99.json']) {
    assert.equal((await fetchRaw(server.url + path)).status, 404, path);
  }
  assert.equal((await fetchRaw(`${server.url}/truth/2.json`, { method: 'POST' })).status, 405);
});

test('faults misbehave as documented, on the first request or on every one', async (t) => {
  const server = await startDemoServer({ faults: true, count: 16 });
  t.after(() => server.close());
  const image = (index: number): string => `${server.url}/images/${index}.${skyPlan(1, index).format === 'png' ? 'png' : 'jpg'}`;
  const servedWhole = async (index: number): Promise<void> => {
    const got = await fetchRaw(image(index));
    assert.equal(got.status, 200, `retry of ${index}`);
    assert.equal(got.body.length, Number(got.headers?.['content-length']));
    assert.equal((await sharp(got.body).metadata()).width, skyPlan(1, index).width);
  };

  await t.test('503 once', async () => {
    assert.equal((await fetchRaw(image(1))).status, 503);
    await servedWhole(1);
  });
  await t.test('429 with Retry-After: 1, once', async () => {
    const got = await fetchRaw(image(3));
    assert.equal(got.status, 429);
    assert.equal(got.headers?.['retry-after'], '1');
    await servedWhole(3);
  });
  await t.test('a truncated body once: fewer bytes than Content-Length, then the connection closes', async () => {
    const got = await fetchRaw(image(6));
    assert.equal(got.status, 200);
    assert.ok(got.body.length < Number(got.headers?.['content-length']), `${got.body.length} bytes`);
    assert.ok(got.error, 'the client sees the early end');
    await servedWhole(6);
  });
  await t.test('a reset mid-body once: ECONNRESET', async () => {
    const got = await fetchRaw(image(8));
    assert.equal(got.error?.code, 'ECONNRESET');
    assert.ok(got.body.length < Number(got.headers?.['content-length'] ?? Infinity));
    await servedWhole(8);
  });
  await t.test('a reset before the headers once: ECONNRESET or a socket hang up, no status', async () => {
    const got = await fetchRaw(image(15));
    assert.equal(got.status, undefined);
    assert.ok(got.error?.code === 'ECONNRESET' || /socket hang up/.test(String(got.error?.message)), String(got.error));
    await servedWhole(15);
  });
  await t.test('a stalled body once: headers arrive, then nothing', async () => {
    const got = await fetchRaw(image(13), { bodyTimeoutMs: 300 });
    assert.equal(got.status, 200);
    assert.ok(Number(got.headers?.['content-length']) > 0);
    assert.equal(got.timedOut, true);
    assert.equal(got.body.length, 0);
    await servedWhole(13);
  });
  await t.test('404 and an HTML page for good', async () => {
    for (let i = 0; i < 2; i++) {
      assert.equal((await fetchRaw(image(10))).status, 404);
      const html = await fetchRaw(image(11));
      assert.equal(html.status, 200);
      assert.equal(html.headers?.['content-type'], 'text/html; charset=utf-8');
      assert.match(html.body.toString(), /^<!doctype html>/);
    }
  });
  await t.test('the log names each fault', () => {
    const faulted = server.requests.filter((r) => r.fault).map((r) => r.fault);
    assert.deepEqual(faulted, ['server-error', 'rate-limited', 'truncated', 'reset-mid-body', 'reset-before-headers', 'stalled', 'not-found', 'html', 'not-found', 'html']);
  });
});

test('without faults the same images are served at once', async (t) => {
  const server = await startDemoServer({ count: 16 });
  t.after(() => server.close());
  assert.equal((await fetchRaw(`${server.url}/images/10.${skyPlan(1, 10).format === 'png' ? 'png' : 'jpg'}`)).status, 200);
});

test('latency delays the headers and bandwidth splits the body, through the injected timers', async (t) => {
  const { timers, delays } = instantTimers();
  const server = await startDemoServer({ latencyMs: 60_000, bandwidthKiBps: 1, timers });
  t.after(() => server.close());
  const got = await fetchRaw(`${server.url}/truth/4.json`);
  assert.equal(got.status, 200);
  assert.equal(got.body.length, Number(got.headers?.['content-length']));
  assert.equal(delays[0], 60_000);
  const ticks = Math.ceil(got.body.length / throttleChunkBytes(1)) - 1;
  assert.deepEqual(delays.slice(1), Array.from({ length: ticks }, () => THROTTLE_TICK_MS));
  assert.equal(server.requests[0]?.bytes, got.body.length);
});

test('a throttled body arrives in several chunks, whole', async (t) => {
  const server = await startDemoServer({ bandwidthKiBps: 4 });
  t.after(() => server.close());
  const got = await fetchRaw(`${server.apiUrl}?api_key=DEMO_KEY&count=3`);
  assert.equal(got.body.length, Number(got.headers?.['content-length']));
  assert.ok(got.body.length > 3 * throttleChunkBytes(4));
  assert.ok(got.chunks >= 3, `${got.chunks} chunks`);
  assert.equal(server.requests[0]?.complete, true);
});

test('close() ends idle and stalled connections, so nothing hangs', { timeout: 5000 }, async () => {
  const server = await startDemoServer({ faults: true, count: 16 });
  const agent = new Agent({ keepAlive: true });
  await new Promise<void>((resolve, reject) => {
    request(`${server.url}/truth/0.json`, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject).end();
  });
  const stalled = new Promise<string>((resolve) => {
    request(`${server.url}/images/13.${skyPlan(1, 13).format === 'png' ? 'png' : 'jpg'}`, { agent: false }, (res) => {
      res.on('data', () => resolve('data'));
      res.on('end', () => resolve('end'));
      res.on('error', () => resolve('error'));
      res.on('close', () => resolve('closed'));
      void server.close(); // headers are in and the body is stalled
    }).on('error', () => resolve('error')).end();
  });
  assert.notEqual(await stalled, 'data');
  await server.close();
  agent.destroy();
});

test('bad options are refused with a message that names them', async () => {
  await assert.rejects(startDemoServer({ count: 0 }), (error: unknown) => error instanceof DemoOptionsError && /count/.test(error.message) && error.code === 'E_USAGE');
  await assert.rejects(startDemoServer({ bandwidthKiBps: 0 }), DemoOptionsError);
  await assert.rejects(startDemoServer({ latencyMs: -1 }), DemoOptionsError);
  await assert.rejects(startDemoServer({ faultPeriod: 15 }), { message: 'The demo\'s fault period must be a whole number ≥ 16, but received 15.' });
});

test('faultPeriod: the fault set repeats (image 16 + 10 is a 404 like 10; 16 + 1 fails once like 1)', async (t) => {
  const server = await startDemoServer({ faults: true, count: 32, faultPeriod: 16 });
  t.after(() => server.close());
  const image = (index: number): string => `${server.url}/images/${index}.${skyPlan(1, index).format === 'png' ? 'png' : 'jpg'}`;
  assert.equal((await fetchRaw(image(26))).status, 404);
  assert.equal((await fetchRaw(image(26))).status, 404);
  assert.equal((await fetchRaw(image(17))).status, 503);
  assert.equal((await fetchRaw(image(17))).status, 200);
  assert.equal((await fetchRaw(image(16))).status, 200);
});

test('parseRange: one bytes= range, open or suffix; unsatisfiable past the end; anything else serves all', () => {
  assert.deepEqual(parseRange('bytes=0-9', 100), [0, 9]);
  assert.deepEqual(parseRange('bytes=90-', 100), [90, 99]);
  assert.deepEqual(parseRange('bytes=90-500', 100), [90, 99]);
  assert.deepEqual(parseRange('bytes=-10', 100), [90, 99]);
  assert.equal(parseRange('bytes=100-', 100), 'unsatisfiable');
  for (const header of [undefined, 'bytes=5-2', 'bytes=0-1,4-5', 'items=0-1', 'bytes=-']) assert.equal(parseRange(header, 100), undefined);
});
