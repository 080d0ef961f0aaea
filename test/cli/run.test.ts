import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type { Keypoint } from '../../src/analysis/detectors.js';
import { DEFAULT_MAX_PIXELS } from '../../src/analysis/limits.js';
import { runAnalyze } from '../../src/cli/analyze.js';
import { E_OUT_LOCK_LOST } from '../../src/cli/hold-out.js';
import { LOCK_DIR } from '../../src/cli/out-lock.js';
import type { RunOptions } from '../../src/cli/run.js';
import type { RunEvent } from '../../src/orchestrator/events.js';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import type { RunState } from '../../src/orchestrator/state.js';
import { JOURNAL_FILE, readJournal } from '../../src/report/journal.js';
import type { Report } from '../../src/report/report.js';
import { filesUnder, realsky, tempDir } from '../helpers/fixtures.js';
import { fillDisk, smallDisk } from '../helpers/small-disk.js';

/**
 * executeRun's report, in-process (`stardash analyze … --json` on real images and workers): the
 * run state keeps no keypoints, so report.json gets them back from the journal, or from memory for
 * the images whose journal line could not be written.
 */

const SKIES = ['sdss_galaxy_field.jpg', 'hubble_deep_field.jpg', 'eso_ngc6752_globular_cluster.png', 'spacex_rocket_launchpad.jpg'].map(realsky);

interface Analysed {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The stars of each image as its analysis-done event carried them (the --json lines), by path. */
  keypoints: Map<string, Keypoint[]>;
  /** The orchestrator's state once the run is over. */
  state: RunState;
}

/** Runs `stardash analyze PATHS -o OUT --json -w 2` in this process (`more` may turn --json off); `watch` sees the orchestrator first. */
async function analyze(
  paths: readonly string[],
  out: string,
  more: Partial<RunOptions> = {},
  watch?: (on: (listener: (event: RunEvent) => void) => void, orchestrator: Orchestrator) => void,
): Promise<Analysed> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: [] as string[], stderr: [] as string[] };
  stdout.on('data', (chunk: Buffer) => chunks.stdout.push(chunk.toString()));
  stderr.on('data', (chunk: Buffer) => chunks.stderr.push(chunk.toString()));
  let state: (() => RunState) | undefined;
  const options: RunOptions = {
    out, workers: 2, detector: { name: 'blob' }, json: true, analysisTimeout: 120_000, maxPixels: DEFAULT_MAX_PIXELS, tui: false, ...more,
    inspect: ({ orchestrator }) => {
      state = () => orchestrator.snapshot;
      watch?.((listener) => orchestrator.on((event) => listener(event)), orchestrator);
    },
  };
  const exitCode = await runAnalyze([...paths], options, { stdout, stderr, signals: new EventEmitter() });
  const events = options.json ? chunks.stdout.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as RunEvent) : [];
  const names = new Map(events.flatMap((e) => (e.type === 'tasks-added' ? e.tasks.map((task) => [task.id, task.file] as const) : [])));
  const keypoints = new Map(events.flatMap((e) => (e.type === 'analysis-done' ? [[names.get(e.id)!, e.result.keypoints] as const] : [])));
  return { exitCode, stdout: chunks.stdout.join(''), stderr: chunks.stderr.join(''), keypoints, state: state!() };
}

async function report(out: string): Promise<Report> {
  return JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
}

/** Each done image's keypoints in report.json, by file. */
function reported(r: Report): Map<string, Keypoint[] | undefined> {
  return new Map(r.images.map((image) => [image.file, image.keypoints]));
}

test('report.json lists each image\'s keypoints exactly as its analysis found them; the state holds none', async (t) => {
  const out = await tempDir(t);
  const run = await analyze(SKIES.slice(0, 3), out);
  assert.deepEqual([run.exitCode, run.stderr], [0, '']);
  assert.equal(run.keypoints.size, 3);
  assert.ok([...run.keypoints.values()].every((k) => k.length > 0), 'every image has stars');
  assert.deepEqual(reported(await report(out)), run.keypoints);
  assert.deepEqual((await report(out)).images.map((i) => i.stars), SKIES.slice(0, 3).map((path) => run.keypoints.get(path)!.length));
  assert.equal(JSON.stringify(run.state.tasks).includes('"size":'), false, 'no keypoint in the final state');
  assert.deepEqual(run.state.tasks.map((task) => task.result !== undefined && !('thumbnail' in task.result)), [true, true, true], 'no thumbnail without the dashboard');
});

test('journal appends that fail (a full disk): the report still has every image\'s keypoints, resumed ones too', async (t) => {
  const disk = await smallDisk(t, 64 * 1024);
  if (disk === undefined) return;
  const out = await tempDir(t);
  // A first run finishes two images: the second run resumes them, their stars are in its journal's carried entries.
  const first = await analyze(SKIES.slice(0, 2), out);
  assert.equal(first.exitCode, 0);
  // The second run's journal lives on the small disk, which is full once its carried lines are
  // written there: every line appended after them fails with ENOSPC (their 64 KiB, 16 whole
  // pages, are taken again by the rewrite; an append needs a 17th).
  const onDisk = join(disk, JOURNAL_FILE);
  await writeFile(onDisk, Buffer.alloc(64 * 1024));
  await fillDisk(disk);
  const second = await analyze(SKIES, out, { resume: true }, () => {
    const journal = join(out, JOURNAL_FILE);
    writeFileSync(onDisk, readFileSync(journal, 'utf8').padEnd(64 * 1024, '\n'));
    unlinkSync(journal);
    symlinkSync(onDisk, journal);
  });
  assert.equal(second.exitCode, 0);
  assert.equal(second.stderr, `stardash: could not keep ${out}/run.jsonl up to date (ENOSPC): a --resume of this run may redo some images.\n`);
  assert.deepEqual([...second.keypoints.keys()].sort(), SKIES.slice(2).sort(), 'two images restored, two analysed');
  assert.deepEqual((await readJournal(out))?.entries.map((e) => e.key).sort(), SKIES.slice(0, 2).sort(), 'nothing appended to the journal');
  assert.deepEqual(reported(await report(out)), new Map([...first.keypoints, ...second.keypoints]));
  assert.equal(JSON.stringify(second.state.tasks).includes('"size":'), false, 'no keypoint in the final state');
});

test('a journal that cannot be read back at the end: no report, stderr says why and what to do, exit 1', async (t) => {
  const out = await tempDir(t);
  const run = await analyze(SKIES.slice(0, 3), out, {}, (on) =>
    on((event) => {
      // Gone once every image is done; any line still to be appended starts a file without a header.
      if (event.type === 'run-finished') unlinkSync(join(out, JOURNAL_FILE));
    }),
  );
  assert.equal(run.exitCode, 1);
  assert.equal(
    run.stderr,
    `stardash: cannot read ${out}/run.jsonl back for the stars of 3 image(s), so no report was written: the same command with --resume writes it, analysing again only the images run.jsonl lacks.\n`,
  );
  assert.deepEqual((await filesUnder(out)).filter((f) => f.startsWith('report')), []);
});

test('a lock lost mid-run: plain output says so in a line on stderr, --json in a notice record; the run goes on', { timeout: 60_000 }, async (t) => {
  for (const json of [false, true]) {
    const out = await tempDir(t);
    const run = await analyze(SKIES.slice(0, 2), out, { json, lockRefreshMs: 1000 }, (on, orchestrator) =>
      on((event) => {
        // Held paused until the run hears of it (proper-lockfile notices at its next refresh, a second on).
        if (event.type === 'tasks-added') {
          orchestrator.pause();
          void rm(join(out, LOCK_DIR), { recursive: true });
        }
        if (event.type === 'notice') orchestrator.resume();
      }),
    );
    const message = `lost the lock on ${out} (its .stardash.lock was removed): another run may be writing there too. Make sure one stardash run at a time uses ${out}.`;
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(run.state.notices, [{ code: E_OUT_LOCK_LOST, message }]);
    assert.equal((await report(out)).totals.done, 2, 'the run went on');
    if (json) {
      assert.equal(run.stderr, '');
      const notices = run.stdout.split('\n').filter((line) => line.includes('"notice"'));
      assert.deepEqual(notices, [JSON.stringify({ type: 'notice', code: E_OUT_LOCK_LOST, message })]);
    } else {
      assert.equal(run.stderr, `stardash: ${message}\n`);
      assert.doesNotMatch(run.stdout, /lost the lock/);
    }
  }
});
