import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { readReport, stardash, type Run } from '../helpers/cli.js';
import { filesUnder, realsky, repoRoot, tempDir, type Cleanup } from '../helpers/fixtures.js';
import { shellQuote, startTmux, tmuxSkip } from '../helpers/tmux.js';
import { createTestServer, type TestServer } from '../helpers/with-server.js';

/**
 * The API key never shows: not on stdout (plain or JSON), not on stderr, not in any file under
 * --out, whatever fails, including got's errors that embed the request URL (refused, DNS, timeout).
 */

const KEY = 'Sk-9f8e7d6c5b4a/+=&KEY';
const FORMS = [KEY, encodeURIComponent(KEY), new URLSearchParams({ k: KEY }).toString().slice(2)];

/** Fails if the key, in any encoding, is in the run's output or in any file under `out`. */
async function assertKeyNowhere(run: Run, out: string | undefined, what: string): Promise<void> {
  const places: [string, string][] = [['stdout', run.stdout], ['stderr', run.stderr]];
  for (const name of out === undefined ? [] : await filesUnder(out).catch(() => [])) {
    places.push([name, await readFile(join(out!, name), 'utf8')]);
  }
  for (const [place, text] of places) {
    for (const form of FORMS) assert.ok(!text.includes(form), `${what}: the key shows in ${place}:\n${text}`);
  }
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A stand-in for the APOD API that lists 2024-05-01 … 2024-05-08 for KEY: images whose URLs hold
 * the key, served so that each fails its own way (but the first).
 */
async function keyedApod(t: Cleanup): Promise<TestServer> {
  const server = await createTestServer();
  t.after(() => server.close());
  const refused = await closedPort();
  const q = `api_key=${encodeURIComponent(KEY)}`;
  const images: Record<string, string> = {
    '2024-05-01': `${server.url}/img/ok.jpg?${q}`,
    '2024-05-02': `${server.url}/img/missing.jpg?${q}`,
    '2024-05-03': `http://127.0.0.1:${refused}/img/refused.jpg?${q}`,
    '2024-05-04': `http://stardash-test.invalid/img/dns.jpg?${q}`,
    '2024-05-05': `${server.url}/img/silent.jpg?${q}`,
    '2024-05-06': `${server.url}/img/busy.jpg?${q}`,
    // Under a name no rule knows as secret: only the key itself can be recognised.
    '2024-05-07': `${server.url}/img/odd.jpg?k=${encodeURIComponent(KEY)}`,
    '2024-05-08': `${server.url}/img/page.jpg?${q}`,
  };
  server.on('/planetary/apod', (req, res) => {
    const given = new URL(req.url ?? '/', 'http://x').searchParams.get('api_key');
    const entries = Object.entries(images).map(([date, hdurl]) => ({ date, title: `Sky ${date}`, media_type: 'image', url: hdurl, hdurl }));
    res.writeHead(given === KEY ? 200 : 403, { 'content-type': 'application/json' }).end(JSON.stringify(entries));
  });
  const sdss = await readFile(realsky('sdss_galaxy_field.jpg'));
  server.on('/img/ok.jpg', (_req, res) => void res.end(sdss));
  server.on('/img/silent.jpg', () => undefined);
  server.on('/img/busy.jpg', (_req, res) => void res.writeHead(503).end(`busy, try ${KEY} later`));
  server.on('/img/odd.jpg', (_req, res) => void res.writeHead(503).end());
  server.on('/img/page.jpg', (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end(`<p>${KEY}</p>`));
  return server;
}

test('apod: images that fail every way, their URLs holding the key, leave it in no output or file', async (t) => {
  const server = await keyedApod(t);
  const dir = await tempDir(t);
  for (const mode of ['--no-tui', '--json']) {
    const out = join(dir, mode.slice(2));
    const run = await stardash([
      'apod', '--start-date', '2024-05-01', '--end-date', '2024-05-08', '--api-key', KEY,
      '--api-url', `${server.url}/planetary/apod`, '-o', out, mode, '-w', '1', '--timeout', '300', '--retries', '1',
    ]);
    const report = await readReport(out, run);
    assert.equal(run.exitCode, 1, run.stderr);
    assert.deepEqual(
      report.images.map((i) => [i.id, i.status, i.errorCode]),
      [
        ['2024-05-01', 'done', undefined],
        ['2024-05-02', 'failed', 'E_HTTP_404'],
        ['2024-05-03', 'failed', 'E_NETWORK'],
        ['2024-05-04', 'failed', report.images[3]?.errorCode === 'E_NETWORK' ? 'E_NETWORK' : 'E_DNS'],
        ['2024-05-05', 'failed', 'E_TIMEOUT'],
        ['2024-05-06', 'failed', 'E_HTTP_503'],
        ['2024-05-07', 'failed', 'E_HTTP_503'],
        ['2024-05-08', 'failed', 'E_NOT_AN_IMAGE'],
      ],
    );
    assert.equal(report.images[6]?.url, `${server.url}/img/odd.jpg?k=***`);
    assert.match(run.stdout, mode === '--json' ? /"type":"download-retrying"/ : / retry   /, 'the retries were printed too');
    await assertKeyNowhere(run, out, mode);
  }
});

test('apod on the dashboard: the key is in no frame drawn, not on the screen, not in the summary', { skip: tmuxSkip, timeout: 90_000 }, async (t) => {
  const server = await keyedApod(t);
  const dir = await tempDir(t);
  const out = join(dir, 'out');
  const cast = join(dir, 'session.cast'); // every byte written to the terminal, every frame
  const args = [
    'apod', '--start-date', '2024-05-01', '--end-date', '2024-05-08', '--api-key', KEY, '--api-url', `${server.url}/planetary/apod`,
    '-o', out, '-w', '1', '--timeout', '300', '--retries', '1', '--record', cast,
  ].map(shellQuote).join(' ');
  // Ink draws only the last frame when CI is set: the dashboard must run live here.
  const term = await startTmux(`cd ${shellQuote(repoRoot)} && env -u CI node bin/stardash.js ${args}; echo EXIT=$? ; sleep 30`, 120, 30);
  t.after(term.kill);
  await term.waitFor('the exit status', (text) => /EXIT=\d+/.test(text), 60_000);
  const screen = await term.history();
  assert.match(screen, /8 tasks: 1 done · 7 failed/);
  assert.match(screen, /E_HTTP_503/, 'the failures and their reasons are on the screen');
  assert.match(screen, /EXIT=1\b/);
  const recorded = await readFile(cast, 'utf8');
  assert.match(recorded, /cpu0/, 'the dashboard was drawn');
  assert.match(recorded, /api_key=\*\*\*/, 'the URLs were drawn, redacted');
  await assertKeyNowhere({ exitCode: 1, stdout: screen, stderr: recorded }, out, 'the dashboard');
});

test('apod: an API that cannot be reached (refused, unresolvable, silent) never shows the key', async (t) => {
  const silent = await createTestServer();
  t.after(() => silent.close());
  silent.on('*', () => undefined);
  const dir = await tempDir(t);
  const refused = await closedPort();
  const cases: [string, RegExp][] = [
    [`http://127.0.0.1:${refused}/planetary/apod`, /^stardash: Could not reach the NASA APOD API at http:\/\/127\.0\.0\.1:\d+\/planetary\/apod: connect ECONNREFUSED/],
    ['http://stardash-test.invalid/planetary/apod', /^stardash: Could not reach the NASA APOD API at http:\/\/stardash-test\.invalid\/planetary\/apod: getaddrinfo \w+ stardash-test\.invalid/],
    [`${silent.url}/planetary/apod`, /^stardash: The NASA APOD API at http:\/\/127\.0\.0\.1:\d+\/planetary\/apod did not answer within 300 ms\./],
    // The key typed into --api-url as well: redacted by its parameter name.
    [`http://127.0.0.1:${refused}/planetary/apod?api_key=${encodeURIComponent(KEY)}`, /ECONNREFUSED/],
  ];
  for (const [apiUrl, message] of cases) {
    const out = join(dir, 'out');
    const run = await stardash(['apod', '--count', '2', '--api-key', KEY, '--api-url', apiUrl, '-o', out, '--no-tui', '-w', '1', '--timeout', '300']);
    assert.equal(run.exitCode, 1, `${apiUrl}: ${run.stderr}`);
    assert.match(run.stderr, message);
    await assertKeyNowhere(run, out, apiUrl);
  }
});

test('a crash report hides secret parameters of the URLs in its error', async () => {
  const { crashMessage } = await import('../../src/cli/run.js');
  const error = new Error('GET https://api.nasa.gov/planetary/apod?api_key=s3cr3t&date=2024-01-01 failed');
  const message = crashMessage(error, 'out');
  assert.ok(!message.includes('s3cr3t'), message);
  assert.match(message, /^stardash: stopped on an internal error \(a bug in stardash; please report it with these lines\):\nError: GET https:\/\/api\.nasa\.gov\/planetary\/apod\?api_key=\*\*\*&date=2024-01-01 failed\n/);
  assert.match(message, /\nThe images finished so far are kept in out\/run\.jsonl\.\nThe same command with --resume continues the run\.\n$/);
});
