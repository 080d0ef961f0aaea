import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, type TestContext } from 'node:test';
import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import got from 'got';
import { ApodError, checkApodOptions, fetchApodListing, resolveApiKey, type ApodOptions } from '../../src/sources/apod.js';

const KEY = 'SECRET-KEY-123';

/** A real HTTP server on 127.0.0.1 (random port) for the test; records every request's URL. */
async function serve(
  t: TestContext,
  handler: (req: IncomingMessage, res: ServerResponse, url: URL) => void,
): Promise<{ apiUrl: string; requests: URL[] }> {
  const requests: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    handler(req, res, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.close();
    server.closeAllConnections();
  });
  return { apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/planetary/apod`, requests };
}

/** A handler answering `body` (JSON-encoded unless a string) with `status` and `headers`. */
function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

function entry(date: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    date,
    title: `Sky of ${date}`,
    media_type: 'image',
    url: `https://apod.example/${date}.jpg`,
    hdurl: `https://apod.example/${date}-hd.jpg`,
    ...extra,
  };
}

/** The query the server saw, as sorted [name, value] pairs (repeats would show). */
function query(url: URL | undefined): string[][] {
  assert.ok(url, 'the server saw no request');
  return [...url.searchParams].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Fails if the key shows anywhere in the error or its cause chain, in any way it can be printed. */
function assertNoSecret(error: unknown, secret = KEY): void {
  const forms = [secret, encodeURIComponent(secret)];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    const e = current as Error;
    const views = {
      message: e.message,
      string: String(e),
      stack: e.stack ?? '',
      json: JSON.stringify(e),
      inspect: inspect(e, { depth: Infinity, showHidden: true }),
    };
    for (const [view, text] of Object.entries(views)) {
      for (const form of forms) assert.ok(!text.includes(form), `the key shows in the ${view} of cause level ${depth}:\n${text}`);
    }
    current = e.cause;
  }
}

/** The ApodError that `options` fail with, checked for the key. */
async function failure(options: ApodOptions): Promise<ApodError> {
  try {
    await fetchApodListing(options);
  } catch (error) {
    assert.ok(error instanceof ApodError, `expected an ApodError, got ${inspect(error)}`);
    if (options.apiKey !== 'DEMO_KEY') assertNoSecret(error, options.apiKey); // DEMO_KEY is public.
    return error;
  }
  assert.fail('expected fetchApodListing to fail');
}

test('count mode asks for count, the key and thumbs=false, and nothing else', async (t) => {
  const server = await serve(t, json(200, [entry('2024-01-01'), entry('2023-05-05')]));
  const listing = await fetchApodListing({ apiUrl: server.apiUrl, apiKey: KEY, count: 2 });
  assert.equal(server.requests.length, 1);
  assert.equal(server.requests[0]?.pathname, '/planetary/apod');
  assert.deepEqual(query(server.requests[0]), [['api_key', KEY], ['count', '2'], ['thumbs', 'false']]);
  assert.deepEqual(listing.images.map((i) => i.id), ['2024-01-01', '2023-05-05']);
});

test('date mode asks for one date and reads the single object NASA returns', async (t) => {
  const server = await serve(t, json(200, entry('2024-02-29')));
  const listing = await fetchApodListing({ apiUrl: server.apiUrl, apiKey: KEY, date: '2024-02-29' });
  assert.deepEqual(query(server.requests[0]), [['api_key', KEY], ['date', '2024-02-29'], ['thumbs', 'false']]);
  assert.deepEqual(listing, {
    images: [{ id: '2024-02-29', name: 'Sky of 2024-02-29', url: 'https://apod.example/2024-02-29-hd.jpg' }],
    skipped: [],
  });
});

test('range mode asks for start_date and end_date and reads the array', async (t) => {
  const server = await serve(t, json(200, [entry('2024-01-01'), entry('2024-01-02'), entry('2024-01-03')]));
  const listing = await fetchApodListing({ apiUrl: server.apiUrl, apiKey: KEY, startDate: '2024-01-01', endDate: '2024-01-03' });
  assert.deepEqual(query(server.requests[0]), [
    ['api_key', KEY], ['end_date', '2024-01-03'], ['start_date', '2024-01-01'], ['thumbs', 'false'],
  ]);
  assert.deepEqual(listing.images.map((i) => i.id), ['2024-01-01', '2024-01-02', '2024-01-03']);
});

test('hdurl is used unless preferSd is set or there is no hdurl', async (t) => {
  const body = [entry('2024-01-01'), entry('2024-01-02', { hdurl: undefined })];
  const server = await serve(t, json(200, body));
  const hd = await fetchApodListing({ apiUrl: server.apiUrl, apiKey: KEY, count: 2 });
  assert.deepEqual(hd.images.map((i) => i.url), ['https://apod.example/2024-01-01-hd.jpg', 'https://apod.example/2024-01-02.jpg']);
  const sd = await fetchApodListing({ apiUrl: server.apiUrl, apiKey: KEY, count: 2, preferSd: true });
  assert.deepEqual(sd.images.map((i) => i.url), ['https://apod.example/2024-01-01.jpg', 'https://apod.example/2024-01-02.jpg']);
});

test('entries that are not images are skipped with their media_type as the reason', async (t) => {
  const body = [
    entry('2024-01-01', { media_type: 'video', url: 'https://youtube.example/embed/x', hdurl: undefined }),
    entry('2024-01-02'),
    entry('2024-01-03', { media_type: 'other' }),
  ];
  const server = await serve(t, json(200, body));
  const listing = await fetchApodListing({ apiUrl: server.apiUrl, apiKey: KEY, startDate: '2024-01-01', endDate: '2024-01-03' });
  assert.deepEqual(listing.images.map((i) => i.id), ['2024-01-02']);
  assert.deepEqual(listing.skipped, [
    { id: '2024-01-01', name: 'Sky of 2024-01-01', reason: 'media_type is video, not an image' },
    { id: '2024-01-03', name: 'Sky of 2024-01-03', reason: 'media_type is other, not an image' },
  ]);
});

test('repeated dates (count mode may repeat) get distinct ids', async (t) => {
  const server = await serve(t, json(200, [entry('2020-01-01'), entry('2021-01-01'), entry('2020-01-01'), entry('2020-01-01')]));
  const listing = await fetchApodListing({ apiUrl: server.apiUrl, apiKey: KEY, count: 4 });
  assert.deepEqual(listing.images.map((i) => i.id), ['2020-01-01', '2021-01-01', '2020-01-01-2', '2020-01-01-3']);
});

test('an entry without a url or a date is skipped with why, and the rest go on', async (t) => {
  const body = [entry('2024-01-01', { url: undefined, hdurl: undefined }), entry('2024-01-02'), { title: 'No date', media_type: 'image', url: 'https://x/a.jpg' }, 'junk'];
  const server = await serve(t, json(200, body));
  const listing = await fetchApodListing({ apiUrl: server.apiUrl, apiKey: KEY, count: 4 });
  assert.deepEqual(listing.images.map((i) => i.id), ['2024-01-02']);
  assert.deepEqual(listing.skipped, [
    { id: '2024-01-01', name: 'Sky of 2024-01-01', reason: 'the entry has no url or hdurl' },
    { id: 'entry-3', name: 'No date', reason: 'the entry has no date' },
    { id: 'entry-4', name: 'entry 4', reason: 'the entry has no date' },
  ]);
});

test('relative image URLs resolve against the API address, never carrying the key', async (t) => {
  const body = [entry('2024-01-01', { hdurl: '/image/a.jpg' }), entry('2024-01-02', { hdurl: '?size=big' })];
  const server = await serve(t, json(200, body));
  const listing = await fetchApodListing({ apiUrl: server.apiUrl, apiKey: KEY, count: 2 });
  const origin = new URL(server.apiUrl).origin;
  assert.deepEqual(listing.images.map((i) => i.url), [`${origin}/image/a.jpg`, `${origin}/planetary/apod?size=big`]);
});

test('the injected got instance makes the request', async (t) => {
  const server = await serve(t, (req, res) => json(200, [entry(String(req.headers['x-test']))])(req, res));
  const custom = got.extend({ headers: { 'x-test': '2024-07-07' } });
  const listing = await fetchApodListing({ apiUrl: server.apiUrl, apiKey: KEY, count: 1, got: custom });
  assert.equal(listing.images[0]?.id, '2024-07-07');
});

test("a client error whose message holds the request URL, as got's HTTPError's does, never shows the key", async (t) => {
  const server = await serve(t, json(200, []));
  const failing = got.extend({
    hooks: { beforeRequest: [(options) => { throw new Error(`Request failed with status code 502 (Bad Gateway): GET ${String(options.url)}`); }] },
  });
  const error = await failure({ apiUrl: server.apiUrl, apiKey: KEY, count: 1, got: failing });
  assert.equal(error.code, 'E_API_NETWORK');
  assert.match(error.message, /^Could not reach the NASA APOD API at http:\/\/127\.0\.0\.1:\d+\/planetary\/apod: Request failed with status code 502 \(Bad Gateway\): GET http:\/\/127\.0\.0\.1:\d+\/planetary\/apod\?api_key=\*\*\*&count=1&thumbs=false\./);
});

test('bad query options are E_USAGE errors that say how to fix them, before any request', async (t) => {
  const server = await serve(t, json(200, []));
  const cases: [Partial<ApodOptions>, RegExp][] = [
    [{}, /exactly one of --count N, --date/],
    [{ count: 3, date: '2024-01-01' }, /exactly one of/],
    [{ date: '2024-01-01', startDate: '2024-01-01', endDate: '2024-01-02' }, /exactly one of/],
    [{ count: 0 }, /--count must be a whole number from 1 to 100.*received 0/],
    [{ count: 101 }, /received 101/],
    [{ count: 2.5 }, /received 2\.5/],
    [{ date: '2024-1-5' }, /--date must be a date written YYYY-MM-DD.*"2024-1-5"/],
    [{ date: '2023-02-29' }, /--date must be a date written YYYY-MM-DD/],
    [{ startDate: '2024-01-01' }, /--start-date needs --end-date too/],
    [{ endDate: '2024-01-01' }, /--end-date needs --start-date too/],
    [{ startDate: '2024-01-01', endDate: 'tomorrow' }, /--end-date must be a date/],
    [{ startDate: '2024-02-01', endDate: '2024-01-01' }, /--start-date 2024-02-01 is after --end-date 2024-01-01: swap them/],
    [{ count: 1, apiUrl: 'ftp://nasa.example/apod' }, /--api-url must be an http or https URL/],
    [{ count: 1, apiUrl: 'not a url' }, /--api-url must be an http or https URL/],
  ];
  for (const [options, message] of cases) {
    const error = await failure({ apiUrl: server.apiUrl, apiKey: KEY, ...options });
    assert.equal(error.code, 'E_USAGE', inspect(options));
    assert.match(error.message, message);
    // checkApodOptions finds the same, without asking anything (a command refuses before --out is touched).
    assert.throws(() => checkApodOptions({ apiUrl: server.apiUrl, apiKey: KEY, ...options }), { code: 'E_USAGE', message: error.message });
  }
  assert.doesNotThrow(() => checkApodOptions({ apiUrl: server.apiUrl, apiKey: KEY, count: 2 }));
  assert.equal(server.requests.length, 0);
});

test('403 with NASA API_KEY_INVALID is E_API_KEY and says where to get a key', async (t) => {
  const body = { error: { code: 'API_KEY_INVALID', message: 'An invalid api_key was supplied. Get one at https://api.nasa.gov:443' } };
  const server = await serve(t, json(403, body));
  const error = await failure({ apiUrl: server.apiUrl, apiKey: KEY, date: '2024-01-01' });
  assert.equal(error.code, 'E_API_KEY');
  assert.equal(error.status, 403);
  assert.match(error.message, /^The NASA API key was refused \(HTTP 403, API_KEY_INVALID\)\./);
  assert.match(error.message, /An invalid api_key was supplied/);
  assert.match(error.message, /get a key at https:\/\/api\.nasa\.gov, or unset --api-key to use DEMO_KEY/);
});

test('429 is E_RATE_LIMITED and repeats what the rate-limit headers said', async (t) => {
  const headers = { 'X-RateLimit-Limit': '30', 'X-RateLimit-Remaining': '0', 'Retry-After': '3600' };
  const body = { error: { code: 'OVER_RATE_LIMIT', message: 'You have exceeded your rate limit. Try again later.' } };
  const server = await serve(t, json(429, body, headers));
  const error = await failure({ apiUrl: server.apiUrl, apiKey: 'DEMO_KEY', count: 5 });
  assert.equal(error.code, 'E_RATE_LIMITED');
  assert.equal(error.status, 429);
  assert.match(error.message, /X-RateLimit-Limit: 30, X-RateLimit-Remaining: 0, Retry-After: 3600 s \(about 60 min\)/);
  assert.match(error.message, /DEMO_KEY allows only a few requests an hour.*personal key at https:\/\/api\.nasa\.gov/);

  const own = await failure({ apiUrl: server.apiUrl, apiKey: KEY, count: 5 });
  assert.equal(own.code, 'E_RATE_LIMITED');
  assert.match(own.message, /Wait until the limit resets/);
});

test('a 500 is E_API_HTTP with the status, and an echoed key is redacted', async (t) => {
  const server = await serve(t, (req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`Internal error while serving ${req.url}`);
  });
  const error = await failure({ apiUrl: server.apiUrl, apiKey: KEY, count: 1 });
  assert.equal(error.code, 'E_API_HTTP');
  assert.equal(error.status, 500);
  assert.match(error.message, /answered HTTP 500 Internal Server Error/);
  assert.match(error.message, /api_key=\*\*\*/);
  assert.match(error.message, /try again later/);
});

test("a 400 is E_API_HTTP with NASA's own words", async (t) => {
  const server = await serve(t, json(400, { code: 400, msg: 'Date must be between Jun 16, 1995 and Jan 01, 2025.', service_version: 'v1' }));
  const error = await failure({ apiUrl: server.apiUrl, apiKey: KEY, date: '1990-01-01' });
  assert.equal(error.code, 'E_API_HTTP');
  assert.match(error.message, /HTTP 400.*NASA said: "Date must be between Jun 16, 1995 and Jan 01, 2025\."/);
});

test("NASA's words with control characters are shown, not passed to the terminal", async (t) => {
  const server = await serve(t, json(400, { code: 400, msg: 'Bad date\u001b]2;PWNED\u0007\u001b[2J.' }));
  const error = await failure({ apiUrl: server.apiUrl, apiKey: KEY, date: '1990-01-01' });
  assert.match(error.message, /NASA said: "Bad date␛\]2;PWNED␇␛\[2J\."/);
});

test('an HTML page is E_API_RESPONSE with an excerpt, the echoed key redacted in every encoding', async (t) => {
  const key = 'SECRET+KEY/123=';
  const server = await serve(t, (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<html><body>Captive portal: ${req.url} ${key} ${encodeURIComponent(key)}</body></html>`);
  });
  const error = await failure({ apiUrl: server.apiUrl, apiKey: key, count: 1 });
  assert.equal(error.code, 'E_API_RESPONSE');
  assert.match(error.message, /not JSON \(text\/html\): "<html><body>Captive portal: \/planetary\/apod\?api_key=\*\*\*/);
  assert.match(error.message, /Check that --api-url points at the APOD API/);
});

test('an excerpt cut short never shows the start of the key', async (t) => {
  const server = await serve(t, (_req, res) => res.end(`<p>${'x'.repeat(71)} ${KEY} and more after it</p>`));
  const error = await failure({ apiUrl: server.apiUrl, apiKey: KEY, count: 1 });
  assert.equal(error.code, 'E_API_RESPONSE');
  assert.match(error.message, /x \*\*\* a/);
  assert.ok(!error.message.includes('SECRE'), error.message);
});

test('truncated JSON is E_API_RESPONSE and says the JSON is malformed', async (t) => {
  const server = await serve(t, json(200, '[{"date":"2024-01-01","title":"Cut'));
  const error = await failure({ apiUrl: server.apiUrl, apiKey: KEY, count: 1 });
  assert.equal(error.code, 'E_API_RESPONSE');
  assert.match(error.message, /malformed JSON \(.+\): "\[\{\\"date\\":\\"2024-01-01\\",\\"title\\":\\"Cut"/);
});

test('an enormous answer is E_API_RESPONSE once past the limit, read no further', async (t) => {
  let written = 0;
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('[');
    const more = (): void => {
      // Up to 8 MiB of entries, unless the client stops reading first.
      while (written < 8 * 1024 * 1024 && !res.destroyed) {
        written += 1024;
        if (!res.write(`${JSON.stringify(entry('2024-01-01', { explanation: 'x'.repeat(900) }))},`)) return void res.once('drain', more);
      }
      res.end('{}]');
    };
    more();
  });
  const error = await failure({ apiUrl: server.apiUrl, apiKey: KEY, count: 1, maxBytes: 1024 * 1024 });
  assert.equal(error.code, 'E_API_RESPONSE');
  assert.equal(
    error.message,
    `The NASA APOD API at ${server.apiUrl} answered with more than 1048576 bytes, more than any APOD listing needs. Check that --api-url points at the APOD API, or ask for a shorter date range.`,
  );
  assert.ok(written < 4 * 1024 * 1024, `the server wrote ${written} bytes`);
});

test('a Content-Length over the default 64 MiB limit is refused before the body is read', async (t) => {
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 ** 3) });
    res.write('['); // … and 10 GiB would follow
  });
  const error = await failure({ apiUrl: server.apiUrl, apiKey: KEY, count: 1 });
  assert.equal(error.code, 'E_API_RESPONSE');
  assert.match(error.message, /answered with more than 67108864 bytes, more than any APOD listing needs/);
});

test('a gzip bomb stops at the limit of decoded bytes', async (t) => {
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, ' '));
  const server = await serve(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
    res.end(bomb);
  });
  const error = await failure({ apiUrl: server.apiUrl, apiKey: KEY, count: 1, maxBytes: 1024 * 1024 });
  assert.ok(bomb.length < 1024 * 1024, 'the encoded answer is under the limit');
  assert.equal(error.code, 'E_API_RESPONSE');
  assert.match(error.message, /answered with more than 1048576 bytes/);
});

test('a refused connection is E_API_NETWORK naming the API and the cause', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const error = await failure({ apiUrl: `http://127.0.0.1:${port}/apod?api_key=${KEY}`, apiKey: KEY, count: 1 });
  assert.equal(error.code, 'E_API_NETWORK');
  assert.match(error.message, new RegExp(`Could not reach the NASA APOD API at http://127\\.0\\.0\\.1:${port}/apod: connect ECONNREFUSED`));
  assert.equal((error.cause as { code?: string }).code, 'ECONNREFUSED');
});

test('a server that does not answer in time is E_API_NETWORK', async (t) => {
  const server = await serve(t, () => undefined);
  const error = await failure({ apiUrl: server.apiUrl, apiKey: KEY, count: 1, timeoutMs: 100 });
  assert.equal(error.code, 'E_API_NETWORK');
  assert.match(error.message, /did not answer within 100 ms/);
});

test('aborting the signal cancels the request with E_ABORTED', async (t) => {
  const controller = new AbortController();
  const server = await serve(t, () => controller.abort());
  const error = await failure({ apiUrl: server.apiUrl, apiKey: KEY, count: 1, signal: controller.signal });
  assert.equal(error.code, 'E_ABORTED');
  assert.equal(server.requests.length, 1);
});

test('resolveApiKey: the flag, else NASA_API_KEY, else DEMO_KEY', () => {
  assert.equal(resolveApiKey('flag-key', { NASA_API_KEY: 'env-key' }), 'flag-key');
  assert.equal(resolveApiKey(undefined, { NASA_API_KEY: 'env-key\n' }), 'env-key');
  assert.equal(resolveApiKey('', { NASA_API_KEY: 'env-key' }), 'env-key');
  assert.equal(resolveApiKey(undefined, {}), 'DEMO_KEY');
  assert.equal(resolveApiKey(undefined, { NASA_API_KEY: ' ' }), 'DEMO_KEY');
});
