import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_MAX_PIXELS } from '../../src/analysis/limits.js';
import { starMask } from '../../src/analysis/star-mask.js';
import { matchStars } from '../../src/analysis/match.js';
import { AnalysisPool } from '../../src/analysis/pool.js';
import { Downloader, type DownloaderOptions } from '../../src/download/downloader.js';
import { MANIFEST_FILE } from '../../src/download/manifest.js';
import type { AnalysisResult, RestoredTask } from '../../src/orchestrator/events.js';
import { localKey, Orchestrator } from '../../src/orchestrator/orchestrator.js';
import type { RunState, TaskState } from '../../src/orchestrator/state.js';
import { demoFaultsFor, demoListing, startDemoServer, truthFor, type DemoServer } from '../../src/sources/demo/index.js';
import { throttleChunkBytes } from '../../src/sources/demo/throttle.js';
import type { RemoteListing } from '../../src/sources/remote.js';
import { faultCodes } from '../helpers/fault-codes.js';
import { filesUnder, realsky, tempDir, type Cleanup } from '../helpers/fixtures.js';
import { analysedKeypoints, announcingTimers, demoImageUrl, nextEvent, positions, recordEvents, taskStory, warmDemoImages, when, type Seen } from '../helpers/run-events.js';
import { createTestServer, type TestServer } from '../helpers/with-server.js';

/**
 * The orchestrator with everything real: the demo sky server (or a node:http server) on 127.0.0.1,
 * the Downloader writing into a temp folder, and analyses on worker threads. Tests wait on events.
 */

let pool: AnalysisPool;
before(async () => {
  pool = await AnalysisPool.start({ size: 2 });
});
after(() => pool.close());

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

interface Setup {
  out: string;
  orchestrator: Orchestrator;
  log: Seen[];
}

/** An orchestrator writing into a fresh folder, downloading with no backoff waits. */
async function setup(
  t: Cleanup,
  options: { downloads?: Partial<DownloaderOptions>; twoPhase?: boolean; pool?: AnalysisPool; restored?: ReadonlyMap<string, RestoredTask>; thumbnails?: boolean } = {},
): Promise<Setup> {
  const out = await tempDir(t);
  const downloads = new Downloader({ dir: join(out, 'downloads'), sleep: async () => {}, ...options.downloads });
  t.after(() => downloads.close());
  const orchestrator = new Orchestrator({
    command: 'demo',
    out,
    detector: { name: 'blob' },
    maxPixels: DEFAULT_MAX_PIXELS,
    pool: options.pool ?? pool,
    downloads,
    ...(options.twoPhase ? { twoPhase: true } : {}),
    ...(options.restored ? { restored: options.restored } : {}),
    ...(options.thumbnails === undefined ? {} : { thumbnails: options.thumbnails }),
  });
  return { out, orchestrator, log: recordEvents(orchestrator) };
}

function byId<T>(state: RunState, pick: (task: TaskState) => T): Record<string, T> {
  return Object.fromEntries(state.tasks.map((task) => [task.id, pick(task)]));
}

function statuses(state: RunState): Record<string, string> {
  return byId(state, (task) => task.status);
}

describe('on a bandwidth-limited sky server', () => {
  // 512 KiB/s per response: the small skies land in well under 100 ms, the large ones take ~1 s.
  // Six images: more than the 4 downloads a host gets at once, so some wait for a slot.
  const count = 6;
  const { timers, writes } = announcingTimers();
  let server: DemoServer;
  before(async () => {
    server = await startDemoServer({ count, bandwidthKiBps: 512, timers });
    await warmDemoImages(server, range(count));
  });
  after(() => server.close());

  test('streaming: analyses start while other images are still downloading', async (t) => {
    const { orchestrator, log } = await setup(t);
    const state = await orchestrator.runRemote(await demoListing(server));

    assert.deepEqual(statuses(state), { 0: 'done', 1: 'done', 2: 'done', 3: 'done', 4: 'done', 5: 'done' });
    const firstAnalysis = positions(log, 'analysis-started')[0]!;
    const lastDownload = positions(log, 'download-done').at(-1)!;
    assert.ok(firstAnalysis < lastDownload, `the first analysis started (event ${firstAnalysis}) after the last download ended (event ${lastDownload})`);
    const downloading = log[firstAnalysis]!.state.tasks.filter((task) => task.status === 'queued' || task.status === 'downloading');
    assert.ok(downloading.length > 0, 'some download was still to finish when the first analysis started');
  });

  test('twoPhase: no analysis starts before every download has ended', async (t) => {
    const { orchestrator, log } = await setup(t, { twoPhase: true });
    const state = await orchestrator.runRemote(await demoListing(server));

    assert.deepEqual(statuses(state), { 0: 'done', 1: 'done', 2: 'done', 3: 'done', 4: 'done', 5: 'done' });
    const firstAnalysis = positions(log, 'analysis-started')[0]!;
    const downloads = positions(log, 'download-done');
    assert.equal(downloads.length, 6);
    assert.ok(firstAnalysis > downloads.at(-1)!, `analysis started at event ${firstAnalysis}, before the last download-done (${downloads.at(-1)})`);
    assert.equal(log[firstAnalysis]!.state.counts.downloaded, 5, 'every other image waits, downloaded');
  });

  test('pause: nothing starts and no bytes are taken until resume; then the run completes', async (t) => {
    const { orchestrator, log } = await setup(t);
    const listing = await demoListing(server);
    const ours = server.requests.length; // the server's log also holds the earlier tests' requests

    const pausing = nextEvent(orchestrator, 'run-paused');
    const offPause = orchestrator.on((event) => {
      if (event.type !== 'download-done') return;
      offPause();
      orchestrator.pause();
    });
    const run = orchestrator.runRemote(listing);
    const { state: atPause } = await pausing;
    assert.equal(atPause.counts.downloaded, 1, 'the first image is downloaded; its analysis would start now');
    assert.ok(atPause.counts.queued > 0, 'some download waits for a slot; it would start now');

    // Bodies still on the wire when the run paused; the server goes on sending them at 512 KiB/s
    // (into the socket buffers, since nothing reads). Wait until one of them has received three
    // more ticks' worth: over 150 ms have passed, longer than the 100 ms between progress reports,
    // so a downloader that kept reading would have reported more bytes by now.
    const onWire = server.requests.slice(ours).filter((r) => r.method === 'GET' && r.status === 200 && !r.complete);
    assert.ok(onWire.length > 0, 'downloads are in flight');
    const sentAtPause = onWire.map((r) => r.bytes);
    await when(writes, 'written', () => onWire.some((r, i) => r.bytes >= sentAtPause[i]! + 3 * throttleChunkBytes(512)));

    // One request per download-started event before the pause, and not one more.
    const startedBeforePause = positions(log, 'download-started').filter((i) => i < positions(log, 'run-paused')[0]!).length;
    const imageGets = server.requests.slice(ours).filter((r) => r.method === 'GET' && r.path.startsWith('/images/')).length;
    assert.equal(imageGets, startedBeforePause, 'no request was made while paused');
    assert.deepEqual(orchestrator.snapshot.workers, [null, null], 'no worker is busy');
    assert.equal(orchestrator.snapshot.counts.downloaded, 1, 'the downloaded image still waits for its analysis');
    orchestrator.resume();
    const state = await run;

    const paused = positions(log, 'run-paused');
    const resumed = positions(log, 'run-resumed');
    assert.equal(paused.length, 1);
    assert.equal(resumed.length, 1);
    const whilePaused = log.slice(paused[0]! + 1, resumed[0]!).map(({ event }) => event);
    assert.deepEqual(whilePaused.filter((e) => e.type === 'download-started' || e.type === 'analysis-started'), []);
    for (const event of whilePaused) {
      if (event.type !== 'download-progress') continue;
      const before = atPause.tasks.find((task) => task.id === event.id)?.progress?.transferred ?? 0;
      assert.ok(event.transferred <= before, `${event.id} took bytes while paused: ${event.transferred} > ${before}`);
    }
    assert.deepEqual(statuses(state), Object.fromEntries(range(count).map((i) => [i, 'done'])));
    assert.equal(state.paused, false);
    // Paused for longer than the progress interval, yet no download failed or was retried for it.
    assert.deepEqual(byId(state, (task) => task.download?.attempts), Object.fromEntries(range(count).map((i) => [i, 1])));
  });
});

test('faults: recoverable ones end done on attempt 2, permanent ones fail with their code, the video is skipped', async (t) => {
  const seed = 1;
  const count = 16; // every fault of DEMO_FAULTS is below 16, and entry 5 is the video
  const faults = demoFaultsFor(count);
  const recovering = faults.filter((f) => f.recovers).map((f) => String(f.index));
  assert.deepEqual(recovering, ['1', '3', '6', '8', '13', '15']);
  // The faulty images and two well-behaved ones (4 and 7, small), to keep the run short.
  const indexes = [...faults.map((f) => f.index), 4, 7].sort((a, b) => a - b);
  const server = await startDemoServer({ seed, count, faults: true });
  t.after(() => server.close());
  await warmDemoImages(server, indexes);
  const catalogue = await demoListing(server);
  const asked: string[] = [];
  const images = catalogue.images
    .filter((image) => indexes.includes(Number(image.id)))
    .map((image) => ({ ...image, truth: () => (asked.push(image.id), image.truth!()) }));
  const listing = { images, skipped: catalogue.skipped };
  // 300 ms: the stalled image (13) times out quickly and is fetched again.
  const { out, orchestrator, log } = await setup(t, { downloads: { retries: 3, timeoutMs: 300 } });
  const state = await orchestrator.runRemote(listing);

  const expected: Record<string, string> = Object.fromEntries(indexes.map((i) => [i, 'done']));
  expected['10'] = 'failed';
  expected['11'] = 'failed';
  expected['5'] = 'skipped';
  assert.deepEqual(statuses(state), expected);
  assert.deepEqual(
    { done: state.counts.done, failed: state.counts.failed, skipped: state.counts.skipped },
    { done: 8, failed: 2, skipped: 1 },
  );

  await t.test('the video is skipped with its reason', () => {
    assert.deepEqual(state.tasks.find((task) => task.id === '5')?.error, { code: 'SKIPPED', message: 'media_type is video, not an image' });
  });

  await t.test('404 and HTML fail at the download stage with their codes, after one request each', () => {
    const failed = state.tasks.filter((task) => task.status === 'failed');
    assert.deepEqual(
      failed.map((task) => [task.id, task.failedStage, task.error?.code]),
      [['10', 'download', 'E_HTTP_404'], ['11', 'download', 'E_NOT_AN_IMAGE']],
    );
    const gets = (i: number): number => server.requests.filter((r) => r.method === 'GET' && r.path === new URL(demoImageUrl(server, i)).pathname).length;
    assert.deepEqual([gets(10), gets(11)], [1, 1]);
  });

  await t.test('each recoverable fault is retried once, for its own reason, and lands on attempt 2', () => {
    const retries = log.flatMap(({ event }) => (event.type === 'download-retrying' ? [event] : []));
    assert.deepEqual(
      retries.map((event) => [event.id, event.attempt]).sort((a, b) => Number(a[0]) - Number(b[0])),
      [['1', 2], ['3', 2], ['6', 2], ['8', 2], ['13', 2], ['15', 2]],
    );
    for (const fault of faults.filter((f) => f.recovers)) {
      const code = retries.find((event) => event.id === String(fault.index))?.error.code;
      assert.ok(code !== undefined && faultCodes(fault.kind).includes(code), `${fault.index} (${fault.kind}) retried for ${code}`);
    }
    const retry429 = log.find(({ event }) => event.type === 'download-retrying' && event.id === '3')?.event;
    assert.equal(retry429?.type === 'download-retrying' && retry429.delayMs, 1000, 'Retry-After: 1 is honoured');
    const attempts = byId(state, (task) => task.download?.attempts);
    for (const id of Object.keys(attempts)) {
      const want = expected[id] !== 'done' ? undefined : recovering.includes(id) ? 2 : 1;
      assert.equal(attempts[id], want, `attempts of ${id}`);
    }
  });

  await t.test('the files on disk are the server’s bytes, under their final names, with no .part left', async () => {
    const done = state.tasks.filter((task) => task.status === 'done');
    for (const task of done) {
      const index = Number(task.id);
      assert.equal(task.url, demoImageUrl(server, index));
      assert.equal(task.file, join(out, 'downloads', basename(new URL(task.url!).pathname)));
      const served = Buffer.from(await (await fetch(demoImageUrl(server, index))).arrayBuffer());
      const onDisk = await readFile(task.file);
      assert.equal(onDisk.length, served.length, `size of ${task.id}`);
      assert.ok(onDisk.equals(served), `bytes of ${task.id}`);
      assert.equal(task.download?.bytes, served.length);
    }
    const files = await filesUnder(out);
    assert.deepEqual(files.filter((f) => f.endsWith('.part')), []);
    const names = done.map((task) => basename(task.file)).sort();
    assert.deepEqual(files, [
      ...names.map((n) => join('downloads', n)),
      join('downloads', MANIFEST_FILE),
      ...done.map((task) => task.result!.processed).sort(),
    ].sort());
  });

  await t.test('each result carries the truth: the stars not faint, those found, and what the other detections matched', () => {
    for (const task of state.tasks.filter((x) => x.status === 'done')) {
      const truth = truthFor(seed, Number(task.id));
      const result = task.result!;
      const demanded = truth.filter((star) => !star.faint);
      assert.ok(demanded.length < truth.length, `sky ${task.id} has faint stars`);
      // Faint stars count neither as found nor as missed: only matches to the others count.
      const keypoints = analysedKeypoints(log).get(task.id)!;
      const { pairs } = matchStars(keypoints, truth);
      const found = pairs.filter(([, j]) => !truth[j]!.faint).length;
      const faintFound = pairs.length - found;
      assert.deepEqual(result.truth, { stars: demanded.length, found, faintFound, spurious: keypoints.length - pairs.length }, `truth of ${task.id}`);
      assert.equal(found + faintFound + result.truth!.spurious, result.stars, 'the parts add up to the stars');
    }
    const found = state.tasks.reduce((sum, task) => sum + (task.result?.truth?.found ?? 0), 0);
    assert.ok(found > 0, 'some true stars are found');
    // Asked for once an image is analysed, not up front: a long demo does not hold every sky's stars.
    assert.deepEqual(asked.sort(), state.tasks.filter((x) => x.status === 'done').map((x) => x.id).sort());
    assert.equal(state.stars, state.tasks.reduce((sum, task) => sum + (task.result?.stars ?? 0), 0));
    assert.equal(state.stars, [...analysedKeypoints(log).values()].reduce((sum, keypoints) => sum + keypoints.length, 0));
  });
});

/** A server whose `paths` answer 404 the first time and the SDSS fixture image afterwards. */
async function flakyServer(t: Cleanup, paths: readonly string[], always: readonly string[] = []): Promise<{ server: TestServer; image: Buffer }> {
  const image = await readFile(realsky('sdss_galaxy_field.jpg'));
  const server = await createTestServer();
  t.after(() => server.close());
  const seen = new Map<string, number>();
  for (const path of [...paths, ...always]) {
    server.on(path, (_req, res) => {
      const n = (seen.get(path) ?? 0) + 1;
      seen.set(path, n);
      if (n === 1 && paths.includes(path)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not yet');
      else res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': image.length }).end(image);
    });
  }
  return { server, image };
}

function listingOf(server: TestServer, paths: readonly string[]): RemoteListing {
  return { images: paths.map((path) => ({ id: path.slice(1, 2), name: path.slice(1), url: `${server.url}${path}` })), skipped: [] };
}

test('retry(id): a failed download runs again, and the run ends only once the retry has settled', async (t) => {
  const { server, image } = await flakyServer(t, ['/a.jpg'], ['/b.jpg']);
  const { orchestrator, log } = await setup(t, { downloads: { retries: 0 } });
  const failures: string[] = [];
  orchestrator.on((event) => {
    if (event.type !== 'task-failed') return;
    failures.push(`${event.id} ${event.stage} ${event.error.code}`);
    if (failures.length === 1) orchestrator.retry(event.id); // once: a broken retry must not loop
  });
  // Subscribed after the listener that retries: it must still see every event in order, each with its own state.
  const late = recordEvents(orchestrator);
  const state = await orchestrator.runRemote(listingOf(server, ['/a.jpg', '/b.jpg']));

  assert.deepEqual(failures, ['a download E_HTTP_404']);
  assert.deepEqual(statuses(state), { a: 'done', b: 'done' });
  assert.deepEqual(taskStory(log, 'a'), [
    'download-started', 'task-failed', 'task-retry', 'download-started', 'download-progress', 'download-done', 'analysis-started', 'analysis-done',
  ]);
  assert.deepEqual(taskStory(log, 'b'), ['download-started', 'download-progress', 'download-done', 'analysis-started', 'analysis-done']);
  assert.equal(log.at(-1)?.event.type, 'run-finished');
  assert.ok(positions(log, 'analysis-done', 'a')[0]! < positions(log, 'run-finished')[0]!);
  assert.deepEqual(server.requests.filter((r) => r === '/a.jpg'), ['/a.jpg', '/a.jpg']);
  const a = state.tasks.find((task) => task.id === 'a')!;
  assert.deepEqual(await readFile(a.file), image);
  assert.equal(a.download?.attempts, 1);
  assert.equal(a.result?.stars, 23);
  assert.equal(a.error, undefined);
  assert.deepEqual(late.map(({ event }) => event), log.map(({ event }) => event));
  assert.ok(late.every(({ state: seen }, i) => seen === log[i]!.state), 'each listener gets the state the event made');
});

test('retryFailed(): every failed task runs again, the others are left alone', async (t) => {
  const { server } = await flakyServer(t, ['/a.jpg', '/c.jpg'], ['/b.jpg']);
  const { orchestrator, log } = await setup(t, { downloads: { retries: 0 } });
  let retried = false;
  orchestrator.on((event, state) => {
    // Once both have failed (the second one's run has not returned yet, so the run is still on).
    if (event.type === 'task-failed' && state.counts.failed === 2 && !retried) {
      retried = true;
      orchestrator.retryFailed();
    }
  });
  const state = await orchestrator.runRemote(listingOf(server, ['/a.jpg', '/b.jpg', '/c.jpg']));

  assert.equal(retried, true);
  assert.deepEqual(statuses(state), { a: 'done', b: 'done', c: 'done' });
  assert.deepEqual(log.flatMap(({ event }) => (event.type === 'task-retry' ? [event.id] : [])), ['a', 'c']);
  assert.deepEqual([...server.requests].sort(), ['/a.jpg', '/a.jpg', '/b.jpg', '/c.jpg', '/c.jpg']);
  assert.equal(log.at(-1)?.event.type, 'run-finished');
  assert.deepEqual(state.tasks.map((task) => task.result?.stars), [23, 23, 23]);
});

test('stop(): unfinished tasks fail with E_INTERRUPTED, no .part is left, the run resolves at once', async (t) => {
  // 64 KiB/s: these downloads would take seconds to tens of seconds.
  const server = await startDemoServer({ count: 6, bandwidthKiBps: 64 });
  t.after(() => server.close());
  const own = await AnalysisPool.start({ size: 1 }); // stop() closes the pool it was given
  t.after(() => own.close());
  const { out, orchestrator, log } = await setup(t, { pool: own });

  const progress = nextEvent(orchestrator, 'download-progress', (event) => event.transferred > 0);
  const run = orchestrator.runRemote(await demoListing(server));
  const { state: atStop } = await progress;
  assert.equal(atStop.counts.downloading, 4, 'four downloads on the wire (the per-host limit)');
  assert.equal(atStop.counts.queued, 2, 'two waiting for a slot');

  const started = performance.now();
  await orchestrator.stop();
  const state = await run;
  const elapsed = performance.now() - started;

  assert.ok(elapsed < 2000, `stop took ${Math.round(elapsed)} ms`);
  assert.deepEqual(byId(state, (task) => [task.status, task.failedStage, task.error?.code]), Object.fromEntries(
    range(6).map((i) => [i, ['failed', 'download', 'E_INTERRUPTED']]),
  ));
  assert.equal(state.interrupted, true);
  const last = log.at(-1)?.event;
  assert.deepEqual(last?.type === 'run-finished' && last.interrupted, true);
  assert.equal(positions(log, 'run-finished').length, 1);
  assert.deepEqual(await filesUnder(out), [], 'no file, complete or partial, is left');
});

/** A result as an earlier run would have left it (for `restored`). */
function earlier(processed: string, stars: number): AnalysisResult {
  return {
    width: 20, height: 10, bytes: 99, processed, analysisMs: 5,
    keypoints: Array.from({ length: stars }, (_, i) => ({ x: i, y: i, size: 4 })),
    thumbnail: { width: 20, height: 10, data: new Uint8Array(200), stars: starMask(20, 10, []) },
    timings: { readMs: 1, decodeMs: 1, detectMs: 1, annotateMs: 2 },
  };
}

for (const twoPhase of [false, true]) {
  test(`restored (--resume${twoPhase ? ', two-phase' : ''}): those tasks are done at once and never requested; the others run`, async (t) => {
    const server = await startDemoServer({ count: 4 });
    t.after(() => server.close());
    const listing = await demoListing(server);
    const kept = listing.images.filter((image) => image.id === '1' || image.id === '3');
    const restored = new Map(kept.map((image): [string, RestoredTask] => [
      image.url,
      { file: `/earlier/${image.id}.jpg`, download: { file: `/earlier/${image.id}.jpg`, bytes: 99, attempts: 1, downloadMs: 7, fromManifest: false }, result: earlier(`processed/${image.id}.jpg`, 5) },
    ]));
    const { orchestrator, log } = await setup(t, { restored, twoPhase });
    const state = await orchestrator.runRemote(listing);

    assert.deepEqual(statuses(state), { 0: 'done', 1: 'done', 2: 'done', 3: 'done' });
    assert.deepEqual(byId(state, (task) => task.restored ?? false), { 0: false, 1: true, 2: false, 3: true });
    assert.deepEqual(taskStory(log, '1'), ['task-restored']);
    assert.deepEqual(taskStory(log, '3'), ['task-restored']);
    assert.deepEqual(
      server.requests.filter((r) => r.path.startsWith('/images/')).map((r) => r.path).sort(),
      listing.images.filter((image) => !kept.includes(image)).map((image) => new URL(image.url).pathname).sort(),
    );
    assert.equal(state.stars, 10 + state.tasks.filter((task) => !task.restored).reduce((sum, task) => sum + task.result!.stars, 0));
  });
}

test('restored local inputs keep their annotated image\'s name: a new one with the same name gets -2', async (t) => {
  const dir = await tempDir(t);
  const a = join(dir, 'a', 'sky.jpg');
  const b = join(dir, 'b', 'sky.jpg');
  for (const path of [a, b]) {
    await mkdir(join(path, '..'), { recursive: true });
    await copyFile(realsky('sdss_galaxy_field.jpg'), path);
  }
  // The earlier run analysed b/sky.jpg (as processed/sky.jpg); a/sky.jpg is new.
  const restored = new Map([[localKey(b), { file: 'stale/path', result: earlier('processed/sky.jpg', 3) }]]);
  const { out, orchestrator, log } = await setup(t, { restored });
  const state = await orchestrator.runLocal([{ kind: 'image', path: a }, { kind: 'image', path: b }]);
  assert.deepEqual(byId(state, (task) => [task.status, task.file, task.result?.processed]), {
    1: ['done', a, join('processed', 'sky-2.jpg')],
    2: ['done', b, 'processed/sky.jpg'],
  });
  assert.deepEqual(taskStory(log, '2'), ['task-restored']);
  assert.deepEqual(await filesUnder(join(out, 'processed')), ['sky-2.jpg']);
});

test('the run state keeps each done image\'s stars counted, not listed: its memory does not grow with them', async (t) => {
  const names = ['sdss_galaxy_field.jpg', 'hubble_deep_field.jpg', 'eso_ngc6752_globular_cluster.png'];
  const { orchestrator, log } = await setup(t);
  await orchestrator.runLocal(names.map((name) => ({ kind: 'image' as const, path: realsky(name) })));
  const state = orchestrator.snapshot;
  const analysed = analysedKeypoints(log);
  assert.deepEqual(statuses(state), { 1: 'done', 2: 'done', 3: 'done' });
  for (const task of state.tasks) {
    assert.equal(task.result !== undefined && 'keypoints' in task.result, false, `task ${task.id} holds no keypoints`);
    assert.equal(task.result?.stars, analysed.get(task.id)?.length, `task ${task.id} counts the stars its analysis found`);
  }
  assert.ok([...analysed.values()].every((keypoints) => keypoints.length > 0), 'every image has stars');
  // No star ({x, y, size, …}) anywhere in the state; the thumbnail marks them in a bit mask.
  assert.equal(JSON.stringify(state).includes('"size":'), false);
  assert.equal(state.stars, [...analysed.values()].reduce((sum, keypoints) => sum + keypoints.length, 0));
});

test('thumbnails: false (a run without the dashboard): no done or restored task keeps a thumbnail; by default each does', async (t) => {
  const dir = await tempDir(t);
  const [fresh, before] = [join(dir, 'fresh.jpg'), join(dir, 'before.jpg')];
  for (const path of [fresh, before]) await copyFile(realsky('sdss_galaxy_field.jpg'), path);
  const restored = new Map([[localKey(before), { file: before, result: earlier('processed/before.jpg', 3) }]]);
  const inputs = [fresh, before].map((path) => ({ kind: 'image' as const, path }));
  const thumbnailsOf = (state: RunState): Record<string, string> => byId(state, (task) => (task.result?.thumbnail ? `${task.result.thumbnail.width}×${task.result.thumbnail.height}` : 'none'));

  const without = await setup(t, { restored, thumbnails: false });
  const state = await without.orchestrator.runLocal(inputs);
  assert.deepEqual(statuses(state), { 1: 'done', 2: 'done' });
  assert.deepEqual(thumbnailsOf(state), { 1: 'none', 2: 'none' });
  const done = without.log.find(({ event }) => event.type === 'analysis-done')?.event;
  assert.ok(done?.type === 'analysis-done' && done.result.keypoints.length > 0 && done.result.thumbnail === undefined, 'the worker made none');

  const withThumbnails = await setup(t, { restored });
  assert.deepEqual(thumbnailsOf(await withThumbnails.orchestrator.runLocal(inputs)), { 1: '47×32', 2: '20×10' });
});
