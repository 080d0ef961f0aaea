import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ReportImage } from '../../src/report/report.js';
import { demoEntry, demoIndexOfDate } from '../../src/sources/demo/catalogue.js';
import {
  DEMO_VIDEO_INDEX, demoDate, demoFaultsFor, demoImagePath, isDemoVideo, skyPlan, truthFor,
} from '../../src/sources/demo/index.js';
import { readReport, stardash, type Run } from '../helpers/cli.js';
import { FAULT_CODE, faultCodes } from '../helpers/fault-codes.js';
import { filesUnder, realsky, tempDir } from '../helpers/fixtures.js';
import { createTestServer, type TestServer } from '../helpers/with-server.js';

/**
 * `stardash demo`, `apod` and `urls` end to end: the real bin/stardash.js in a child process,
 * against the embedded demo server or node:http servers on 127.0.0.1, checked by exit code,
 * output lines and the files left in --out (spec/cli.md).
 */

const SDSS = realsky('sdss_galaxy_field.jpg'); // 23 stars
const CLUSTER = realsky('eso_ngc2547_open_cluster.png'); // 37 stars

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);

test('demo --faults: transient faults are retried and recover, 404 and HTML fail, the video is skipped', async (t) => {
  const count = 12;
  const seed = 1;
  const out = join(await tempDir(t), 'out');
  // 1.5 s: the demo server draws each sky on first request, which took over 500 ms on a loaded machine.
  const run = await stardash(['demo', '--count', String(count), '--faults', '--no-tui', '-o', out, '--timeout', '1500', '-w', '2']);
  const report = await readReport(out, run);
  const lines = run.stdout.split('\n');
  const base = /^stardash demo: \d+ skies from (http:\/\/127\.0\.0\.1:\d+) \(seed 1, faults on\)/.exec(lines[0] ?? '')?.[1];
  assert.ok(base, `header: ${lines[0]}`);
  const url = (index: number): string => `${base}${demoImagePath(skyPlan(seed, index))}`;

  const faults = demoFaultsFor(count);
  const recovering = faults.filter((f) => f.recovers);
  const permanent = faults.filter((f) => !f.recovers);
  const videos = isDemoVideo(DEMO_VIDEO_INDEX, count) ? 1 : 0;
  const expected = { tasks: count, done: count - permanent.length - videos, failed: permanent.length, skipped: videos };
  assert.deepEqual(expected, { tasks: 12, done: 9, failed: 2, skipped: 1 });
  assert.deepEqual(recovering.map((f) => f.index), [1, 3, 6, 8]);

  await t.test('exits 1 (some image failed) with nothing on stderr', () => {
    assert.equal(run.stderr, '');
    assert.equal(run.exitCode, 1);
  });

  await t.test('a retry line for every transient fault, naming its cause', () => {
    const retries = new Map<string, { attempt: number; code: string; line: string }[]>();
    for (const line of lines) {
      const m = /^\[\s*\d+\/12\] retry   .+?  attempt (\d+) in \d+\.\d s: (E_\w+): GET (http:\/\/127\.0\.0\.1:\d+\/images\/\d+\.(?:jpg|png))\b/.exec(line);
      if (!m) continue;
      retries.set(m[3]!, [...(retries.get(m[3]!) ?? []), { attempt: Number(m[1]), code: m[2]!, line }]);
    }
    assert.equal(lines.filter((line) => / retry /.test(line)).length, [...retries.values()].flat().length, 'every retry line is well formed');
    for (const fault of recovering) {
      const first = retries.get(url(fault.index))?.[0];
      assert.ok(first, `no retry line for ${fault.kind} (${url(fault.index)}):\n${run.stdout}`);
      assert.equal(first.attempt, 2);
      // The demo server draws each sky on its render thread when first asked; on a loaded machine a
      // few draws in a row can outlast the idle timeout (see the report), so E_TIMEOUT may come first.
      assert.ok([...faultCodes(fault.kind), 'E_TIMEOUT'].includes(first.code), first.line);
      if (first.code === 'E_HTTP_429') assert.match(first.line, / attempt 2 in 1\.0 s: /, 'Retry-After: 1 is honoured');
    }
    for (const [target, list] of retries) {
      if (recovering.some((f) => url(f.index) === target)) continue;
      assert.deepEqual(list.map((r) => r.code).filter((code) => code !== 'E_TIMEOUT'), [], `${target} retried for no documented fault`);
    }
  });

  await t.test('a failed line for 404 and for HTML, a skipped line for the video', () => {
    const failed = lines.filter((line) => /^\[\s*\d+\/12\] failed  /.test(line));
    assert.equal(failed.length, 2, run.stdout);
    for (const fault of permanent) {
      assert.equal(failed.filter((line) => line.includes(`  ${FAULT_CODE[fault.kind]}: GET ${url(fault.index)} `)).length, 1, `${fault.kind}:\n${run.stdout}`);
    }
    const title = demoEntry(seed, DEMO_VIDEO_INDEX, count, base).title;
    const skipped = lines.filter((line) => /^\[\s*\d+\/12\] skipped /.test(line));
    assert.equal(skipped.length, 1);
    assert.match(skipped[0]!, new RegExp(`^\\[\\s*\\d+/12\\] skipped ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +media_type is video, not an image$`));
    assert.match(run.stdout, /^Finished: 9 done, 2 failed, 1 skipped · \d+ stars · /m);
  });

  await t.test('report.json: exact totals, every image with its status', () => {
    const { stars, ...totals } = report.totals;
    assert.deepEqual(totals, expected);
    assert.equal(stars, report.images.reduce((sum, image) => sum + (image.stars ?? 0), 0));
    assert.equal(report.command, 'demo');
    assert.equal(report.interrupted, false);
    const status = Object.fromEntries(report.images.map((image) => [demoIndexOfDate(image.id), [image.status, image.errorCode]]));
    const want: Record<number, [string, string | undefined]> = {};
    for (let i = 0; i < count; i++) want[i] = ['done', undefined];
    want[DEMO_VIDEO_INDEX] = ['skipped', undefined];
    for (const fault of permanent) want[fault.index] = ['failed', FAULT_CODE[fault.kind]];
    assert.deepEqual(status, want);
    const video = report.images.find((image) => image.status === 'skipped');
    assert.deepEqual([video?.id, video?.error], [demoDate(DEMO_VIDEO_INDEX), 'media_type is video, not an image']);
  });

  await t.test('every done image: its URL, its download, attempts, the truth, and files that exist', async () => {
    const done = report.images.filter((image) => image.status === 'done');
    assert.equal(done.length, 9);
    for (const image of done) {
      const index = demoIndexOfDate(image.id);
      assert.equal(image.url, url(index));
      assert.equal(image.file, `downloads/${index}.jpg`);
      const minAttempts = recovering.some((f) => f.index === index) ? 2 : 1;
      assert.ok(typeof image.attempts === 'number' && image.attempts >= minAttempts && image.attempts <= 4, `attempts of ${index}: ${image.attempts}`);
      assert.equal(image.trueStars, truthFor(seed, index).filter((star) => !star.faint).length);
      assert.ok(Number.isInteger(image.trueStarsFound) && image.trueStarsFound! >= 0 && image.trueStarsFound! <= image.trueStars!);
      assert.equal(image.trueStarsFound! <= image.stars!, true, 'no more true stars found than stars detected');
      assert.equal((await stat(join(out, image.file))).size, image.bytes);
      assert.ok(image.processed?.startsWith('processed/') && (await exists(join(out, image.processed))), `processed ${image.processed}`);
    }
    assert.ok(done.some((image) => image.trueStarsFound! > 0));
    const files = await filesUnder(out);
    assert.deepEqual(files.filter((f) => f.endsWith('.part')), []);
    assert.equal(files.filter((f) => f.startsWith('downloads/') && f !== 'downloads/manifest.jsonl').length, 9);
  });
});

test('demo --json: one JSON event a line, nothing else', async (t) => {
  const out = join(await tempDir(t), 'out');
  const run = await stardash(['demo', '--count', '3', '--json', '-o', out, '-w', '2']);
  assert.equal(run.stderr, '');
  assert.equal(run.exitCode, 0);
  const events = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });
  const tally: Record<string, number> = {};
  for (const event of events) tally[event.type] = (tally[event.type] ?? 0) + 1;
  assert.deepEqual(tally, {
    'run-started': 1, 'tasks-added': 1, 'download-started': 3, 'download-done': 3,
    'analysis-started': 3, 'worker-idle': 3, 'analysis-done': 3, 'run-finished': 1,
  });
  assert.deepEqual([events[0]?.type, events[0]?.['command']], ['run-started', 'demo']);
  assert.deepEqual([events.at(-1)?.type, events.at(-1)?.['interrupted']], ['run-finished', false]);
  for (const event of events.filter((e) => e.type === 'analysis-done')) {
    const result = event['result'] as Record<string, unknown>;
    assert.equal('thumbnail' in result, false);
    assert.ok(Array.isArray(result['keypoints']));
  }
});

test('demo --detector sky: the stars against the truth add up, in the plain lines, the summary, the report and the JSON', async (t) => {
  const dir = await tempDir(t);
  const [run, json] = await Promise.all([
    stardash(['demo', '--count', '3', '--detector', 'sky', '--no-tui', '-o', join(dir, 'plain'), '-w', '1']),
    stardash(['demo', '--count', '3', '--detector', 'sky', '--json', '-o', join(dir, 'json'), '-w', '1']),
  ]);
  const report = await readReport(join(dir, 'plain'), run);
  assert.deepEqual([run.exitCode, run.stderr, json.exitCode, json.stderr], [0, '', 0, '']);
  const lines = run.stdout.split('\n');
  const sum = { found: 0, stars: 0, fainter: 0, spurious: 0 };
  for (const image of report.images) {
    const { stars, trueStars, trueStarsFound, fainterStarsFound, falseStars } = image;
    assert.equal(trueStarsFound! + fainterStarsFound! + falseStars!, stars, `the parts of ${image.id} add up to its stars`);
    const done = lines.findIndex((line) => new RegExp(`^\\[\\d/3\\] done    .+  ${stars} stars  ${image.width}×${image.height}  \\d+ ms$`).test(line));
    assert.ok(done >= 0, `no done line for ${image.id}:\n${run.stdout}`);
    // Under the name, what the stars are: not "108 stars (61 of 61 true stars)", which read as 47 made up.
    assert.equal(lines[done + 1], `${' '.repeat(14)}= ${trueStarsFound} of ${trueStars} true stars over 5σ + ${fainterStarsFound} fainter + ${falseStars} false`);
    Object.assign(sum, { found: sum.found + trueStarsFound!, stars: sum.stars + trueStars!, fainter: sum.fainter + fainterStarsFound!, spurious: sum.spurious + falseStars! });
  }
  assert.ok(sum.fainter > 0 && sum.spurious > 0, 'the sky detector finds fainter stars and some false ones');
  const finished = lines.findIndex((line) => line.startsWith('Finished: '));
  assert.equal(lines[finished + 1], `  = ${sum.found} of ${sum.stars} true stars over 5σ (${Math.round((sum.found / sum.stars) * 100)}%) + ${sum.fainter} fainter + ${sum.spurious} false`);
  for (const line of lines.filter((l) => l.includes(' true stars over '))) assert.ok(line.length <= 80, `over 80 columns: ${line}`);

  const csv = (await readFile(join(dir, 'plain', 'report.csv'), 'utf8')).trimEnd().split('\r\n').map((row) => row.split(','));
  assert.deepEqual(csv[0]!.slice(-4), ['trueStars', 'trueStarsFound', 'fainterStarsFound', 'falseStars']);
  assert.deepEqual(csv.slice(1).map((row) => row.slice(-4).map(Number)), report.images.map((i) => [i.trueStars, i.trueStarsFound, i.fainterStarsFound, i.falseStars]));

  const results = json.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { type: string; result?: { keypoints: unknown[]; truth: Record<string, number> } })
    .filter((event) => event.type === 'analysis-done').map((event) => event.result!);
  assert.equal(results.length, 3);
  for (const { keypoints, truth } of results) {
    assert.deepEqual(Object.keys(truth).sort(), ['faintFound', 'found', 'spurious', 'stars']);
    assert.equal(truth['found']! + truth['faintFound']! + truth['spurious']!, keypoints.length);
  }
});

/** Serves `body` as an image of `type`. */
function image(body: Buffer, type: string) {
  return (_req: unknown, res: ServerResponse): void => void res.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body);
}

const SECRET = 'SECRET-KEY-123';

/**
 * A stand-in for api.nasa.gov: GET /planetary/apod answers NASA's JSON (two images whose hdurl
 * points back here, one video) for the right api_key and NASA's 403 otherwise; it records the queries.
 */
async function fakeNasa(t: { after(fn: () => Promise<void>): void }, key: string): Promise<{ server: TestServer; queries: Record<string, string>[] }> {
  const server = await createTestServer();
  t.after(() => server.close());
  const queries: Record<string, string>[] = [];
  server.on('/planetary/apod', (req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    queries.push(Object.fromEntries(query));
    const json = (status: number, body: unknown): void =>
      void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (query.get('api_key') !== key) {
      // NASA's body, plus the key echoed back as some gateways do: it must not reach the output.
      const message = `An invalid api_key (${query.get('api_key')}) was supplied. Get one at https://api.nasa.gov:443`;
      return json(403, { error: { code: 'API_KEY_INVALID', message } });
    }
    const entry = (date: string, title: string, file: string) => ({
      date, title, media_type: 'image', service_version: 'v1', explanation: '…',
      url: `${server.url}/apod/image/small_${file}`, hdurl: `${server.url}/apod/image/${file}`,
    });
    return json(200, [
      entry('2024-07-01', 'A Galaxy Field', 'galaxy.jpg'),
      { date: '2024-07-02', title: 'Launch at Night', media_type: 'video', service_version: 'v1', url: 'https://www.youtube.com/embed/xyz' },
      entry('2024-07-03', 'NGC 2547', 'cluster.png'),
    ]);
  });
  server.on('/apod/image/galaxy.jpg', image(await readFile(SDSS), 'image/jpeg'));
  server.on('/apod/image/cluster.png', image(await readFile(CLUSTER), 'image/png'));
  return { server, queries };
}

test('apod: the listing from --api-url, hd images downloaded, the video skipped; the key shows nowhere', async (t) => {
  const { server, queries } = await fakeNasa(t, SECRET);
  const out = join(await tempDir(t), 'out');
  const run = await stardash(['apod', '--count', '3', '--api-url', `${server.url}/planetary/apod`, '--api-key', SECRET, '-o', out, '--no-tui', '-w', '2']);
  const report = await readReport(out, run);

  assert.equal(run.stderr, '');
  assert.equal(run.exitCode, 0);
  assert.deepEqual(queries, [{ api_key: SECRET, count: '3', thumbs: 'false' }], 'the key was sent, once, to the API only');
  assert.deepEqual(server.requests.filter((r) => r.startsWith('/apod/')).sort(), ['/apod/image/cluster.png', '/apod/image/galaxy.jpg']);
  assert.deepEqual(report.totals, { tasks: 3, done: 2, failed: 0, skipped: 1, stars: 60 });
  assert.deepEqual(
    report.images.map((i) => [i.id, i.status, i.file, i.stars, i.error]),
    [
      // The images in the API's order, then the skipped entries.
      ['2024-07-01', 'done', 'downloads/galaxy.jpg', 23, undefined],
      ['2024-07-03', 'done', 'downloads/cluster.png', 37, undefined],
      ['2024-07-02', 'skipped', '', undefined, 'media_type is video, not an image'],
    ],
  );
  assert.match(run.stdout, /^\[\d\/3\] skipped Launch at Night +media_type is video, not an image$/m);

  const files = await filesUnder(out);
  for (const name of ['report.json', 'report.csv', 'downloads/manifest.jsonl']) assert.ok(files.includes(name), `${name} in ${files.join(', ')}`);
  assert.equal(run.stdout.includes(SECRET), false, 'stdout');
  for (const name of files) assert.equal((await readFile(join(out, name))).includes(SECRET), false, name);
});

test('apod: a refused key (403) exits 2 with advice on stderr, without the key', async (t) => {
  const { server, queries } = await fakeNasa(t, 'the-right-key');
  const out = join(await tempDir(t), 'out');
  const run = await stardash(['apod', '--count', '3', '--api-url', `${server.url}/planetary/apod`, '--api-key', SECRET, '-o', out, '--no-tui', '-w', '2']);

  assert.equal(run.exitCode, 2);
  assert.equal(run.stdout, '');
  assert.deepEqual(queries.map((q) => q['api_key']), [SECRET]);
  assert.match(run.stderr, /^stardash: The NASA API key was refused \(HTTP 403, API_KEY_INVALID\)\./);
  assert.match(run.stderr, /Check --api-key or NASA_API_KEY, get a key at https:\/\/api\.nasa\.gov/);
  assert.equal(run.stderr.includes(SECRET), false, run.stderr);
  assert.equal(await exists(out), false, 'a refused run leaves no --out behind (nor processed/ in it)');
});

/** Everything under `dir`, folders too, sorted; undefined when there is no `dir`. */
const listing = (dir: string): Promise<string[] | undefined> => readdir(dir, { recursive: true }).then((names) => names.sort(), () => undefined);

test('apod refused (bad options, the key, the API out of reach): --out is left as it was, whether it was there or not', async (t) => {
  const { server, queries } = await fakeNasa(t, 'the-right-key');
  const dir = await tempDir(t);
  const api = ['--api-url', `${server.url}/planetary/apod`];
  const cases: { args: string[]; exit: number; stderr: string | RegExp }[] = [
    { args: ['--start-date', '2024-02-01', '--end-date', '2024-01-01', ...api], exit: 2, stderr: 'stardash: --start-date 2024-02-01 is after --end-date 2024-01-01: swap them.' },
    { args: ['--count', '500', ...api], exit: 2, stderr: "stardash: --count must be a whole number from 1 to 100 (NASA's limit), but received 500." },
    { args: ['--count', '2', '--api-url', 'ftp://x/apod'], exit: 2, stderr: 'stardash: --api-url must be an http or https URL, but received ftp://x/apod.' },
    { args: ['--count', '2', '--api-key', SECRET, ...api], exit: 2, stderr: /^stardash: The NASA API key was refused \(HTTP 403, API_KEY_INVALID\)\. /u },
    // Nothing listens on port 9 (discard) here: the connection is refused.
    { args: ['--count', '2', '--api-url', 'http://127.0.0.1:9/planetary/apod'], exit: 1, stderr: /^stardash: Could not reach the NASA APOD API at http:\/\/127\.0\.0\.1:9\/planetary\/apod: /u },
  ];
  // An --out that is not there, and one that holds a file of the user's.
  const mine = join(dir, 'mine');
  await mkdir(mine);
  await writeFile(join(mine, 'notes.txt'), 'mine');
  for (const { args, exit, stderr } of cases) {
    for (const out of [join(dir, 'new'), mine]) {
      const before = await listing(out);
      const run = await stardash(['apod', ...args, '-o', out, '--no-tui', '-w', '1']);
      assert.equal(run.exitCode, exit, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stdout, '');
      if (typeof stderr === 'string') assert.equal(run.stderr, stderr);
      else assert.match(run.stderr, stderr);
      assert.deepEqual(await listing(out), before, `${args.join(' ')} -o ${out}`);
    }
  }
  assert.deepEqual(await listing(mine), ['notes.txt']);
  assert.deepEqual(queries.map((q) => q['api_key']), [SECRET, SECRET], 'bad options are refused before the API is asked');
});

/** Two real images and a 404, with a comment and a blank line, as `stardash urls` reads them. */
async function skyList(t: { after(fn: () => Promise<void>): void }): Promise<{ server: TestServer; list: string }> {
  const server = await createTestServer();
  t.after(() => server.close());
  server.on('/sky/galaxy.jpg', image(await readFile(SDSS), 'image/jpeg'));
  server.on('/sky/cluster.png', image(await readFile(CLUSTER), 'image/png'));
  // /sky/missing.jpg has no handler: 404
  const list = ['# tonight', `${server.url}/sky/galaxy.jpg`, '', `${server.url}/sky/cluster.png`, `${server.url}/sky/missing.jpg`, ''].join('\n');
  return { server, list };
}

async function checkUrlsRun(run: Run, out: string, server: TestServer): Promise<void> {
  const report = await readReport(out, run);
  assert.equal(run.stderr, '');
  assert.equal(run.exitCode, 1);
  assert.deepEqual(report.totals, { tasks: 3, done: 2, failed: 1, skipped: 0, stars: 60 });
  const pick = (i: ReportImage) => [i.id, i.status, i.url, i.file, i.stars, i.errorCode];
  assert.deepEqual(report.images.map(pick), [
    ['line-2', 'done', `${server.url}/sky/galaxy.jpg`, 'downloads/galaxy.jpg', 23, undefined],
    ['line-4', 'done', `${server.url}/sky/cluster.png`, 'downloads/cluster.png', 37, undefined],
    ['line-5', 'failed', `${server.url}/sky/missing.jpg`, '', undefined, 'E_HTTP_404'],
  ]);
  assert.deepEqual(await readFile(join(out, 'downloads', 'galaxy.jpg')), await readFile(SDSS));
  assert.deepEqual(await readFile(join(out, 'downloads', 'cluster.png')), await readFile(CLUSTER));
  assert.equal(server.requests.filter((r) => r === '/sky/missing.jpg').length, 1, 'a 404 is not retried');
  assert.match(run.stdout, new RegExp(`^\\[\\d/3\\] failed  missing\\.jpg +E_HTTP_404: GET ${server.url}/sky/missing\\.jpg answered HTTP 404 Not Found$`, 'm'));
  assert.match(run.stdout, /^Finished: 2 done, 1 failed, 0 skipped · 60 stars · /m);
}

test('urls FILE: comments and blank lines ignored, two images done, the 404 failed; exit 1', async (t) => {
  const { server, list } = await skyList(t);
  const dir = await tempDir(t);
  const file = join(dir, 'sky.txt');
  await writeFile(file, list);
  const out = join(dir, 'out');
  const run = await stardash(['urls', file, '-o', out, '--no-tui', '-w', '2']);
  assert.equal(run.stdout.split('\n')[0], `stardash urls: 3 URL(s) from ${file}, 0 skipped, 2 worker(s), detector blob → ${out}`);
  await checkUrlsRun(run, out, server);
});

test('urls -: the list comes from standard input', async (t) => {
  const { server, list } = await skyList(t);
  const out = join(await tempDir(t), 'out');
  const run = await stardash(['urls', '-', '-o', out, '--no-tui', '-w', '2'], list);
  assert.equal(run.stdout.split('\n')[0], `stardash urls: 3 URL(s) from standard input, 0 skipped, 2 worker(s), detector blob → ${out}`);
  await checkUrlsRun(run, out, server);
});

test('urls: a token in a listed URL reaches no output, report or file', async (t) => {
  const server = await createTestServer();
  t.after(() => server.close());
  server.on('/sky/galaxy.jpg', image(await readFile(SDSS), 'image/jpeg'));
  const token = 'TOPSECRET-TOKEN-42';
  const dir = await tempDir(t);
  const file = join(dir, 'sky.txt');
  await writeFile(file, `${server.url}/sky/galaxy.jpg?token=${token}\n${server.url}/sky/gone.jpg?api_key=${token}\n`);
  const out = join(dir, 'out');
  for (const mode of ['--no-tui', '--json']) {
    const run = await stardash(['urls', file, '-o', out, mode, '-w', '1']);
    assert.equal(run.exitCode, 1, run.stderr);
    assert.ok(!run.stdout.includes(token) && !run.stderr.includes(token), `${mode}: the token was printed`);
    const report = await readReport(out, run);
    assert.deepEqual(report.images.map((i) => i.url), [`${server.url}/sky/galaxy.jpg?token=***`, `${server.url}/sky/gone.jpg?api_key=***`]);
    for (const name of await filesUnder(out)) {
      const bytes = await readFile(join(out, name));
      assert.ok(!bytes.includes(token), `${mode}: ${name} holds the token`);
    }
  }
});
