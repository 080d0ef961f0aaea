import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import type { RunEvent } from '../../src/orchestrator/events.js';
import { JOURNAL_FILE } from '../../src/report/journal.js';
import type { Report, ReportImage } from '../../src/report/report.js';
import { demoListing, startDemoServer, type DemoServer } from '../../src/sources/demo/index.js';
import { filesUnder, realsky, repoRoot, tempDir, type Cleanup } from '../helpers/fixtures.js';
import { warmDemoImages } from '../helpers/run-events.js';

/**
 * `--resume`: a run stopped part-way (a clean Ctrl-C, or killed outright) is continued into the
 * same --out. The real bin/stardash.js runs in a child process against a demo server this test
 * owns, so the server's request log shows what each run fetched.
 */

const BIN = join(repoRoot, 'bin', 'stardash.js');

interface Run {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  events: RunEvent[];
}

/**
 * Runs `node bin/stardash.js ARGS --json`; with `stopAfter`, sends `signal` once that many images
 * are done (as the JSON lines say). SIGKILL goes to the process group, so that a batch run's second
 * Node (src/launch/relaunch.ts) dies too, as when the machine kills stardash; the first alone would
 * leave the second to stop cleanly and write its report.
 */
async function stardash(args: readonly string[], stopAfter?: { done: number; signal: NodeJS.Signals }, output = '--json'): Promise<Run> {
  const child = execa(process.execPath, [BIN, ...args, output], { cwd: repoRoot, reject: false, detached: true });
  const stop = (signal: NodeJS.Signals): void => void (signal === 'SIGKILL' ? process.kill(-child.pid!, signal) : child.kill(signal));
  let done = 0;
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (!line.includes('"analysis-done"')) continue;
      if (++done === stopAfter?.done) stop(stopAfter.signal);
    }
  });
  const { exitCode, stdout, stderr } = await child;
  if (stopAfter) assert.ok(done >= stopAfter.done, `the run ended before ${stopAfter.done} images were done:\n${stderr}`);
  const events = stdout.split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as RunEvent];
    } catch {
      return []; // a line cut by a kill
    }
  });
  return { exitCode, stdout, stderr, events };
}

async function readReport(out: string): Promise<Report> {
  return JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
}

/** The ids of the tasks that `type` events (of a run) name. */
function idsOf(events: readonly RunEvent[], ...types: RunEvent['type'][]): Set<string> {
  return new Set(events.flatMap((e) => (types.includes(e.type) && 'id' in e ? [e.id] : [])));
}

const sorted = (ids: Iterable<string>): string[] => [...ids].sort();

/** The GET paths the server answered from position `from` of its log on. */
function gets(server: DemoServer, from = 0): string[] {
  return server.requests.slice(from).filter((r) => r.method === 'GET').map((r) => r.path);
}

/** A demo server of `count` skies (rendered up front) and a URL list of them; the list's line n is image n-1. */
async function skyList(t: Cleanup, count: number, faults: boolean): Promise<{ server: DemoServer; list: string; paths: Map<string, string> }> {
  const server = await startDemoServer({ count, faults });
  t.after(() => server.close());
  const listing = await demoListing(server);
  await warmDemoImages(server, listing.images.map((image) => Number(image.id)));
  const list = join(await tempDir(t), 'sky.txt');
  await writeFile(list, listing.images.map((image) => `${image.url}\n`).join(''));
  // id line-N → the path of its URL on the server
  const paths = new Map(listing.images.map((image, i) => [`line-${i + 1}`, new URL(image.url).pathname]));
  return { server, list, paths };
}

test('urls --resume after Ctrl-C: finished images are neither fetched nor analysed again, the rest are; the report has every image once', async (t) => {
  const { server, list, paths } = await skyList(t, 24, true);
  const out = join(await tempDir(t), 'out');
  const args = ['urls', list, '-o', out, '-w', '1', '-c', '2', '--timeout', '2000'];

  const first = await stardash(args, { done: 4, signal: 'SIGINT' });
  assert.equal(first.exitCode, 130, first.stderr);
  const stopped = await readReport(out);
  assert.equal(stopped.interrupted, true);
  const finished = stopped.images.filter((i) => i.status === 'done');
  assert.ok(finished.length >= 4 && finished.length <= paths.size - 6, `${finished.length} done before the stop`);
  const seen = server.requests.length;

  const second = await stardash([...args, '--resume']);
  assert.equal(second.exitCode, 1, second.stderr); // the 404 and the HTML page fail again
  const doneBefore = new Set(finished.map((i) => i.id));

  // The request log: no finished image was fetched again; every other one was, unless its complete
  // download was already in downloads/manifest.jsonl (then it is only analysed).
  const fetched = gets(server, seen);
  for (const id of doneBefore) assert.ok(!fetched.includes(paths.get(id)!), `${id} (${paths.get(id)}) was fetched again`);
  const reused = new Set(second.events.flatMap((e) => (e.type === 'download-done' && e.download.fromManifest ? [e.id] : [])));
  for (const [id, path] of paths) {
    if (!doneBefore.has(id) && !reused.has(id)) assert.ok(fetched.includes(path), `${id} (${path}) was not fetched`);
  }
  // The events: the finished ones are restored, and nothing else happens to them.
  assert.deepEqual(sorted(idsOf(second.events, 'task-restored')), sorted(doneBefore));
  const worked = idsOf(second.events, 'download-started', 'download-done', 'analysis-started', 'analysis-done', 'task-failed');
  assert.deepEqual([...doneBefore].filter((id) => worked.has(id)), []);
  assert.deepEqual(sorted(idsOf(second.events, 'analysis-done')), sorted([...paths.keys()].filter((id) => !doneBefore.has(id) && !/^\/images\/1[01]\./.test(paths.get(id)!))));

  // The report: every listed image exactly once; the kept ones as the first run reported them.
  const report = await readReport(out);
  assert.equal(report.interrupted, false);
  assert.deepEqual(sorted(report.images.map((i) => i.id)), sorted(paths.keys()));
  const failed = report.images.filter((i) => i.status === 'failed').map((i) => [paths.get(i.id), i.errorCode]);
  assert.deepEqual(failed, [['/images/10.jpg', 'E_HTTP_404'], ['/images/11.jpg', 'E_NOT_AN_IMAGE']]);
  assert.deepEqual(report.totals, {
    tasks: paths.size,
    done: paths.size - 2,
    failed: 2,
    skipped: 0,
    stars: report.images.reduce((sum, i) => sum + (i.stars ?? 0), 0),
  });
  const byId = new Map(report.images.map((i) => [i.id, i]));
  for (const image of finished) assert.deepEqual(byId.get(image.id), image, `${image.id} changed`);
  const processed = (await filesUnder(out)).filter((f) => f.startsWith('processed/'));
  assert.deepEqual(processed, sorted(report.images.flatMap((i) => (i.processed ? [i.processed] : []))));
});

test('urls --resume after a kill (no report written): the journal alone says what was finished', async (t) => {
  const { server, list, paths } = await skyList(t, 12, false);
  const out = join(await tempDir(t), 'out');
  const args = ['urls', list, '-o', out, '-w', '1', '-c', '2'];

  const first = await stardash(args, { done: 3, signal: 'SIGKILL' });
  assert.equal(first.exitCode, undefined); // killed
  await assert.rejects(stat(join(out, 'report.json')), { code: 'ENOENT' });
  const journal = (await readFile(join(out, JOURNAL_FILE), 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; id?: string });
  assert.equal(journal[0]!.type, 'run');
  const kept = journal.slice(1).map((entry) => entry.id!);
  // The last image printed may not have reached the journal before the kill; the rest did.
  const printed = idsOf(first.events, 'analysis-done');
  assert.ok(kept.length >= printed.size - 1 && kept.every((id) => printed.has(id)), `journal ${kept}, printed ${[...printed]}`);
  const seen = server.requests.length;

  const second = await stardash([...args, '--resume']);
  assert.equal(second.exitCode, 0, second.stderr);
  assert.deepEqual(sorted(idsOf(second.events, 'task-restored')), sorted(kept));
  const fetched = gets(server, seen);
  for (const id of kept) assert.ok(!fetched.includes(paths.get(id)!), `${id} was fetched again`);
  assert.deepEqual(sorted(idsOf(second.events, 'analysis-done')), sorted([...paths.keys()].filter((id) => !kept.includes(id))));
  const report = await readReport(out);
  assert.deepEqual([report.interrupted, report.totals.tasks, report.totals.done], [false, paths.size, paths.size]);
  assert.deepEqual(sorted(report.images.map((i) => i.id)), sorted(paths.keys()));
});

test('demo --resume: the skies done before are kept although the demo server listens on a new port', async (t) => {
  const out = join(await tempDir(t), 'out');
  const args = ['demo', '--count', '12', '-o', out, '-w', '1', '-c', '2'];
  const first = await stardash(args, { done: 3, signal: 'SIGINT' });
  assert.equal(first.exitCode, 130, first.stderr);
  const before = (await readReport(out)).images.filter((i) => i.status === 'done');

  const second = await stardash([...args, '--resume']);
  assert.equal(second.exitCode, 0, second.stderr);
  const kept = sorted(before.map((i) => i.id));
  assert.deepEqual(sorted(idsOf(second.events, 'task-restored')), kept);
  const worked = idsOf(second.events, 'download-started', 'analysis-started');
  assert.deepEqual(kept.filter((id) => worked.has(id)), []);
  const report = await readReport(out);
  assert.deepEqual([report.interrupted, report.totals.tasks, report.totals.done, report.totals.skipped], [false, 12, 11, 1]);
  // As reported before, but for the URL: its port is this run's server's.
  const withoutPort = (image: ReportImage | undefined) => image && { ...image, url: image.url?.replace(/^http:\/\/127\.0\.0\.1:\d+\//, '') };
  const byId = new Map(report.images.map((i) => [i.id, i]));
  for (const image of before) assert.deepEqual(withoutPort(byId.get(image.id)), withoutPort(image));
});

test('analyze --resume: the images analysed before the stop are not analysed again', async (t) => {
  const dir = await tempDir(t);
  const images = join(dir, 'images');
  const out = join(dir, 'out');
  await mkdir(images);
  for (let i = 0; i < 12; i++) await copyFile(realsky('eso_ngc6752_globular_cluster.png'), join(images, `c${String(i).padStart(2, '0')}.png`));
  const args = ['analyze', images, '-o', out, '-w', '1'];

  const first = await stardash(args, { done: 2, signal: 'SIGINT' });
  assert.equal(first.exitCode, 130, first.stderr);
  const before = (await readReport(out)).images.filter((i) => i.status === 'done');
  assert.ok(before.length >= 2 && before.length < 12, `${before.length} done`);

  const second = await stardash([...args, '--resume']);
  assert.equal(second.exitCode, 0, second.stderr);
  const analysed = idsOf(second.events, 'analysis-started');
  assert.deepEqual(sorted(idsOf(second.events, 'task-restored')), sorted(before.map((i) => i.id)));
  assert.equal(analysed.size, 12 - before.length);
  for (const image of before) assert.equal(analysed.has(image.id), false, `${image.file} analysed again`);
  const report = await readReport(out);
  assert.deepEqual([report.interrupted, report.totals.done], [false, 12]);
  assert.deepEqual(report.images.map((i) => i.file), Array.from({ length: 12 }, (_, i) => join(images, `c${String(i).padStart(2, '0')}.png`)));
  const processed = report.images.map((i: ReportImage) => i.processed);
  assert.equal(new Set(processed).size, 12, 'every image has its own annotated file');
  const byId = new Map(report.images.map((i) => [i.id, i]));
  for (const image of before) assert.deepEqual(byId.get(image.id), image);
});

test('--resume with another detector parameter or command is refused (exit 2) and leaves --out as it was', async (t) => {
  const dir = await tempDir(t);
  const out = join(dir, 'out');
  const image = realsky('sdss_galaxy_field.jpg');
  const done = await stardash(['analyze', image, '-o', out, '-w', '1']);
  assert.equal(done.exitCode, 0, done.stderr);
  const before = await Promise.all(['report.json', JOURNAL_FILE].map((name) => readFile(join(out, name), 'utf8')));

  const params = await stardash(['analyze', image, '-o', out, '-w', '1', '-p', 'minArea=5', '--resume']);
  assert.equal(params.exitCode, 2);
  assert.equal(
    params.stderr,
    `stardash: cannot resume the run in ${out}: the detector's parameters differ (minArea 10 there, 5 here), and resuming would mix ` +
      'results made differently. Give the same command, --detector and -p options as that run; or leave out --resume to start over ' +
      '(finished images are analysed again); or choose another --out.',
  );
  const command = await stardash(['demo', '--count', '2', '-o', out, '--resume']);
  assert.equal(command.exitCode, 2);
  assert.match(command.stderr, /^stardash: cannot resume the run in .*: that run was `stardash analyze`, this one is `stardash demo`, /);
  assert.deepEqual(await Promise.all(['report.json', JOURNAL_FILE].map((name) => readFile(join(out, name), 'utf8'))), before);

  // The same options resume: the one image is kept.
  const same = await stardash(['analyze', image, '-o', out, '-w', '1', '--resume']);
  assert.equal(same.exitCode, 0, same.stderr);
  assert.deepEqual([...idsOf(same.events, 'task-restored')], ['1']);
  assert.equal(idsOf(same.events, 'analysis-started').size, 0);
  // Plain lines say which images were kept.
  const plain = await stardash(['analyze', image, '-o', out, '-w', '1', '--resume'], undefined, '--no-tui');
  const lines = plain.stdout.split('\n');
  assert.equal(lines[0], `stardash analyze: 1 input(s), 1 worker(s), detector blob → ${out}, resuming (1 done before)`);
  assert.equal(lines[1], `[1/1] kept    sdss_galaxy_field.jpg             23 stars  done by the run being resumed`);
  assert.match(lines[2]!, /^Finished: 1 done, 0 failed, 0 skipped · 23 stars · \d+\.\d s · 0\.0 images\/s · 1 kept from the run resumed$/);
});

test('--resume into a folder without a run says so on stderr and runs everything', async (t) => {
  const out = join(await tempDir(t), 'out');
  const run = await stardash(['analyze', realsky('sdss_galaxy_field.jpg'), '-o', out, '-w', '1', '--resume']);
  assert.equal(run.exitCode, 0, run.stderr);
  assert.equal(run.stderr, `stardash: nothing to resume in ${out} (no ${JOURNAL_FILE}): starting a new run.`);
  assert.deepEqual([...idsOf(run.events, 'analysis-done')], ['1']);
});
