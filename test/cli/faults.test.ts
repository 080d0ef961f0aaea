import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { ReportImage } from '../../src/report/report.js';
import { readReport, stardash } from '../helpers/cli.js';
import { parseCast } from '../helpers/asciicast.js';
import { filesUnder, realsky, repoRoot, tempDir } from '../helpers/fixtures.js';
import { shellQuote, startTmux, tmuxSkip } from '../helpers/tmux.js';
import { createTestServer } from '../helpers/with-server.js';

/**
 * `stardash urls` end to end against misbehaving local servers: every fault ends as a failed row of
 * the report with a code and a reason, the good image is analysed, nothing is left half-written;
 * hostile URLs write only under --out; a 10,000-line list runs to the end.
 */

const SDSS = realsky('sdss_galaxy_field.jpg'); // 23 stars
const pick = (i: ReportImage): unknown[] => [i.id, i.status, i.errorCode ?? i.stars, i.error ?? i.file];

// With a timeout: a stall that is not caught fails the test rather than hanging the suite.
test('urls: a gzip-encoded image is analysed; each fault is a failed row with its reason; nothing half-written', { timeout: 30_000 }, async (t) => {
  const server = await createTestServer();
  t.after(() => server.close());
  const sdss = await readFile(SDSS);
  const gzipped = gzipSync(sdss);
  server.on('/galaxy.jpg', (_req, res) => void res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': gzipped.length }).end(gzipped));
  server.on('/loop.jpg', (_req, res) => void res.writeHead(302, { location: '/loop.jpg' }).end());
  server.on('/empty.jpg', (_req, res) => void res.writeHead(200, { 'content-type': 'image/jpeg' }).end());
  server.on('/silent.jpg', () => undefined);
  server.on('/long.jpg', (_req, res) => void res.writeHead(200, { 'content-length': 100 }).end(sdss));
  const twice = Buffer.concat([sdss, sdss]);
  server.on('/big.jpg', (_req, res) => void res.writeHead(200, { 'content-length': twice.length }).end(twice));
  const dir = await tempDir(t);
  const list = join(dir, 'list.txt');
  const dns = 'http://stardash-test.invalid/sky.jpg';
  const paths = ['/galaxy.jpg', '/loop.jpg', '/empty.jpg', '/silent.jpg', '/long.jpg', '/big.jpg'];
  await writeFile(list, [...paths.map((p) => `${server.url}${p}`), dns].join('\n'));
  const out = join(dir, 'out');
  const run = await stardash(['urls', list, '-o', out, '--no-tui', '-w', '1', '--timeout', '300', '--retries', '0', '--max-bytes', '20000']);
  const report = await readReport(out, run);

  // Where the resolver cannot tell "no such name" (no DNS server at all), it is a network error.
  const unresolvable = await lookup('stardash-test.invalid').then(() => false, (e: NodeJS.ErrnoException) => e.code === 'ENOTFOUND');
  const dnsRow = unresolvable
    ? ['line-7', 'failed', 'E_DNS', `GET ${dns} failed: could not resolve host stardash-test.invalid (ENOTFOUND); check the host name in the URL and your network connection`]
    : ['line-7', 'failed', 'E_NETWORK', report.images[6]?.error];
  const u = server.url;
  assert.deepEqual(report.images.map(pick), [
    ['line-1', 'done', 23, 'downloads/galaxy.jpg'],
    ['line-2', 'failed', 'E_REDIRECTS', `GET ${u}/loop.jpg was redirected more than 10 times (a redirect loop?)`],
    ['line-3', 'failed', 'E_EMPTY_BODY', `GET ${u}/empty.jpg answered with an empty body`],
    ['line-4', 'failed', 'E_TIMEOUT', `GET ${u}/silent.jpg timed out: the server accepted the connection but sent no response for 300 ms`],
    ['line-5', 'failed', 'E_BAD_RESPONSE', `GET ${u}/long.jpg failed: the server's response is not valid HTTP (HPE_INVALID_CONSTANT: Expected HTTP/, RTSP/ or ICE/), for example a body longer than its Content-Length`],
    ['line-6', 'failed', 'E_TOO_LARGE', `GET ${u}/big.jpg: Content-Length 22664 is over the 20000-byte limit (raise --max-bytes to allow it)`],
    dnsRow,
  ]);
  assert.equal(run.exitCode, 1);
  assert.equal(run.stderr, '');
  for (const image of report.images.filter((i) => i.status === 'failed')) {
    assert.ok(run.stdout.includes(`  ${image.errorCode}: ${image.error}\n`), `a failed line for ${image.id}:\n${run.stdout}`);
  }
  assert.deepEqual(await readFile(join(out, 'downloads', 'galaxy.jpg')), sdss, 'the image bytes, not the gzip bytes');
  assert.deepEqual(await filesUnder(out), ['downloads/galaxy.jpg', 'downloads/manifest.jsonl', 'processed/galaxy.jpg', 'report.csv', 'report.json', 'run.jsonl']);
});

test('urls: hostile paths and names write only under --out/downloads and --out/processed, with safe names', async (t) => {
  const server = await createTestServer();
  t.after(() => server.close());
  const sdss = await readFile(SDSS);
  server.on('*', (_req, res) => void res.writeHead(200, { 'content-length': sdss.length }).end(sdss));
  const dir = await tempDir(t);
  const paths = [
    '/a/../../../../etc/cron.d/evil.jpg', // URL parsing removes the dot segments
    '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', // encoded: decoded only for the name
    '/%2Fetc%2Fshadow.jpg', // an absolute name
    '/..%5C..%5Cboot.ini',
    `/${'n'.repeat(300)}.jpg`, // over 255 bytes
    `/${encodeURIComponent('🌟'.repeat(80))}.jpg`, // 320 bytes of UTF-8
    '/bell%07nul%00esc%1bnl%0a.jpg', // control characters
    '/rlo%E2%80%AEgpj.exe', // a right-to-left override
    '/.bashrc',
    '/CON',
  ];
  const list = join(dir, 'list.txt');
  await writeFile(list, paths.map((p) => `${server.url}${p}`).join('\n'));
  const out = join(dir, 'out');
  const run = await stardash(['urls', list, '-o', out, '--no-tui', '-w', '2']);
  const report = await readReport(out, run);
  assert.equal(run.exitCode, 0, run.stdout + run.stderr);
  const names = [
    'evil.jpg',
    '_.._etc_passwd.jpg',
    '_etc_shadow.jpg',
    '_.._boot.ini.jpg',
    `${'n'.repeat(116)}.jpg`,
    `${'🌟'.repeat(58)}.jpg`, // 120 UTF-16 units
    'bell_nul_esc_nl_.jpg',
    'rlo_gpj.exe.jpg',
    'bashrc.jpg',
    '_CON.jpg',
  ];
  assert.deepEqual(report.images.map((i) => [i.status, i.stars, i.file]), names.map((name) => ['done', 23, `downloads/${name}`]));
  assert.deepEqual(report.images.map((i) => i.processed), names.map((name) => `processed/${name}`));
  for (const name of names) assert.ok(Buffer.byteLength(name) <= 255, name);
  assert.deepEqual(await readdir(dir), ['list.txt', 'out'].sort(), 'nothing beside --out');
  const expected = [...names.flatMap((n) => [`downloads/${n}`, `processed/${n}`]), 'downloads/manifest.jsonl', 'report.csv', 'report.json', 'run.jsonl'];
  assert.deepEqual(await filesUnder(out), expected.sort());
  // Nor do the names reach the terminal as they are: control characters show as symbols, a
  // right-to-left override as U+FFFD (they would ring, clear or retitle the terminal, or reverse text).
  assert.doesNotMatch(run.stdout, CONTROL, 'no control character but line feeds on stdout');
  assert.match(run.stdout, /^\[ ?\d+\/10\] fetched bell␇nul␀esc␛nl␊\.jpg {12}/m);
  assert.match(run.stdout, /^\[ ?\d+\/10\] fetched rlo\uFFFDgpj\.exe {20}/m);
});

/** C0 and C1 control characters but the line feed, and the bidirectional overrides and isolates. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

test('urls on the dashboard: a name holding escape sequences is shown, not obeyed by the terminal', { skip: tmuxSkip, timeout: 60_000 }, async (t) => {
  const server = await createTestServer();
  t.after(() => server.close());
  const sdss = await readFile(SDSS);
  server.on('/gone%1b%5b2J%1bc.jpg', (_req, res) => void res.writeHead(404).end());
  server.on('*', (_req, res) => void res.writeHead(200, { 'content-length': sdss.length }).end(sdss));
  const dir = await tempDir(t);
  const list = join(dir, 'list.txt');
  // OSC 2 sets the terminal's title; CSI 2J clears the screen; ESC c resets the terminal.
  await writeFile(list, [`${server.url}/x%1b%5d2%3bPWNED%07y.jpg`, `${server.url}/gone%1b%5b2J%1bc.jpg`, `${server.url}/z%1b%5b2Jw.jpg`].join('\n'));
  const cast = join(dir, 'session.cast');
  const args = ['urls', list, '-o', join(dir, 'out'), '-w', '1', '--record', cast].map(shellQuote).join(' ');
  const term = await startTmux(`cd ${shellQuote(repoRoot)} && env -u CI node bin/stardash.js ${args}; echo EXIT=$? ; sleep 30`, 100, 30);
  t.after(term.kill);
  const title = await term.display('#{pane_title}');
  await term.waitFor('the exit status', (text) => /EXIT=\d+/.test(text), 30_000);
  assert.equal(await term.display('#{pane_title}'), title, 'the title is as it was');
  const end = await term.history();
  assert.match(end, /3 tasks: 2 done · 1 failed/);
  assert.match(end, /gone␛\[2J␛c\.jpg {2}E_HTTP_404/, 'the failed one in the summary');
  assert.match(end, /EXIT=1\b/);
  // Everything stardash wrote: its own styles and cursor moves, none of the list's sequences.
  const { output } = parseCast(await readFile(cast, 'utf8'));
  assert.ok(output.includes('x␛]2;PWNED␇y.jpg'), 'the name is drawn with its control characters as symbols');
  for (const sequence of ['\u001b]2;PWNED', '\u0007', '\u001bc']) assert.ok(!output.includes(sequence), JSON.stringify(sequence));
});

test('urls: a 10,000-line list runs to the end, every URL a task and a report row', async (t) => {
  const server = await createTestServer();
  t.after(() => server.close());
  const sdss = await readFile(SDSS);
  server.on('*', (req, res) => {
    if (req.url?.startsWith('/sky/')) res.writeHead(200, { 'content-length': sdss.length }).end(sdss);
    else res.writeHead(404).end();
  });
  const dir = await tempDir(t);
  const lines = Array.from({ length: 10_000 }, (_, i) => `${server.url}/${i % 1000 === 0 ? 'sky' : 'gone'}/${i}.jpg`);
  const list = join(dir, 'list.txt');
  await writeFile(list, lines.join('\n'));
  const out = join(dir, 'out');
  const run = await stardash(['urls', list, '-o', out, '--no-tui', '-w', '2', '-c', '16']);
  const report = await readReport(out, run);
  assert.equal(run.exitCode, 1);
  assert.equal(run.stderr, '');
  assert.deepEqual(report.totals, { tasks: 10_000, done: 10, failed: 9_990, skipped: 0, stars: 230 });
  assert.deepEqual(report.images.map((i) => i.id), lines.map((_, i) => `line-${i + 1}`));
  assert.equal(new Set(report.images.filter((i) => i.status === 'failed').map((i) => i.errorCode)).size, 1);
  assert.equal(server.requests.length, 10_000, 'one request per URL, 404s not retried');
  assert.match(run.stdout, /^Finished: 10 done, 9990 failed, 0 skipped · 230 stars · /m);
});

test('apod: malformed JSON, an answer that is not a listing, and an enormous one end with exit 1 and a reason', async (t) => {
  const server = await createTestServer();
  t.after(() => server.close());
  const json = { 'content-type': 'application/json' };
  server.on('/malformed', (_req, res) => void res.writeHead(200, json).end('[{"date":"2024-01-01","title":"Cut'));
  server.on('/number', (_req, res) => void res.writeHead(200, json).end('42'));
  server.on('/enormous', (_req, res) => {
    res.writeHead(200, { ...json, 'content-length': String(10 * 1024 ** 3) });
    res.write('['); // … and 10 GiB would follow
  });
  const out = join(await tempDir(t), 'out');
  const expected: Record<string, RegExp> = {
    '/malformed': /^stardash: The NASA APOD API at http:\/\/127\.0\.0\.1:\d+\/malformed answered with malformed JSON \(.+\): "\[\{\\"date\\":\\"2024-01-01\\",\\"title\\":\\"Cut"\. Check that --api-url points at the APOD API\.$/,
    '/number': /^stardash: The NASA APOD API at http:\/\/127\.0\.0\.1:\d+\/number answered with JSON that is not an APOD entry or a list of them: "42"\.$/,
    '/enormous': /^stardash: The NASA APOD API at http:\/\/127\.0\.0\.1:\d+\/enormous answered with more than 67108864 bytes, more than any APOD listing needs\. Check that --api-url points at the APOD API, or ask for a shorter date range\.$/,
  };
  for (const [path, message] of Object.entries(expected)) {
    const run = await stardash(['apod', '--count', '3', '--api-url', `${server.url}${path}`, '-o', out, '--no-tui', '-w', '1']);
    assert.equal(run.exitCode, 1, path);
    assert.equal(run.stdout, '', path);
    assert.match(run.stderr, message);
  }
});
