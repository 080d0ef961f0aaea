import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { AnalysisJob, AnalysisOutcome } from '../../src/analysis/analyze-image.js';
import { AnalysisPool, type PoolEvent } from '../../src/analysis/pool.js';
import { loadThreads } from '../../src/analysis/threads.js';
import { repoRoot } from '../helpers/fixtures.js';
import { skyPng, starGrid } from '../helpers/sky.js';

const MISBEHAVING = fileURLToPath(new URL('./workers/misbehaving-worker.js', import.meta.url));

let dir: string;
let sky: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stardash-pool-'));
  sky = join(dir, 'sky.png');
  await writeFile(sky, await skyPng(200, 120, starGrid(5, 3)));
});
after(() => rm(dir, { recursive: true, force: true }));

function job(id: string, input = sky): AnalysisJob {
  return { id, input, processed: join(dir, `${id}.png`), detector: { name: 'blob' }, maxPixels: 1e8 };
}

/** A full garbage collection, without starting node with --expose-gc. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function starsOf(outcome: AnalysisOutcome): number {
  assert.ok(outcome.ok, `expected success, got ${JSON.stringify(outcome)}`);
  return outcome.keypoints.length;
}

/** A timer the test fires by hand, so that timeouts need no waiting. */
function manualTimer() {
  const pending = new Set<() => void>();
  return {
    start: (onTimeout: () => void) => {
      pending.add(onTimeout);
      return () => pending.delete(onTimeout);
    },
    fireAll: () => [...pending].forEach((fire) => fire()),
  };
}

function nextEvent(pool: AnalysisPool, matches: (event: PoolEvent) => boolean): Promise<PoolEvent> {
  return new Promise((resolve) => {
    const off = pool.on((event) => {
      if (matches(event)) {
        off();
        resolve(event);
      }
    });
  });
}

describe('AnalysisPool', () => {
  test('analyses images on worker threads and reports which worker is busy', async (t) => {
    const pool = await AnalysisPool.start({ size: 2 });
    t.after(() => pool.close());
    const events: PoolEvent[] = [];
    pool.on((event) => events.push(event));
    const outcomes = await Promise.all([pool.analyze(job('a')), pool.analyze(job('b')), pool.analyze(job('c'))]);
    assert.deepEqual(outcomes.map(starsOf), [15, 15, 15]);
    assert.deepEqual(
      events.filter((e) => e.type === 'worker-busy').map((e) => (e.type === 'worker-busy' ? e.jobId : '')).sort(),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(new Set(events.map((e) => ('worker' in e ? e.worker : -1))), new Set([0, 1]));
    assert.deepEqual((await readdir(dir)).filter((f) => f.endsWith('.part')), []);
  });

  test("an image's own error fails that image alone", async (t) => {
    const pool = await AnalysisPool.start({ size: 1 });
    t.after(() => pool.close());
    const missing = await pool.analyze(job('missing', join(dir, 'nope.png')));
    assert.equal(missing.ok, false);
    assert.equal(!missing.ok && missing.error.code, 'E_READ');
    assert.equal(starsOf(await pool.analyze(job('after'))), 15);
  });

  for (const [id, how] of [
    ['crash', 'throws an uncaught exception'],
    ['exit', 'exits'],
  ] as const) {
    test(`a worker that ${how} fails its image and is replaced; the rest go on`, async (t) => {
      const pool = await AnalysisPool.start({ size: 1, workerScript: MISBEHAVING });
      t.after(() => pool.close());
      const replaced = nextEvent(pool, (e) => e.type === 'worker-replaced');
      const [crashed, next] = await Promise.all([pool.analyze(job(id)), pool.analyze(job('next'))]);
      assert.deepEqual(crashed.ok ? 'ok' : crashed.error.code, 'E_WORKER_CRASHED');
      assert.match(crashed.ok ? '' : crashed.error.message, /stopped unexpectedly while analysing .*sky\.png; it was replaced/);
      assert.deepEqual(await replaced, { type: 'worker-replaced', worker: 0, reason: 'crashed' });
      assert.equal(starsOf(next), 15);
    });
  }

  test('a worker that overruns the analysis timeout is replaced and its image failed', async (t) => {
    const timer = manualTimer();
    const pool = await AnalysisPool.start({ size: 1, workerScript: MISBEHAVING, timeoutMs: 1234, startTimer: timer.start });
    t.after(() => pool.close());
    const busy = nextEvent(pool, (e) => e.type === 'worker-busy' && e.jobId === 'hang');
    const hung = pool.analyze(job('hang'));
    const next = pool.analyze(job('next'));
    await busy;
    timer.fireAll();
    const outcome = await hung;
    assert.equal(outcome.ok ? 'ok' : outcome.error.code, 'E_ANALYSIS_TIMEOUT');
    assert.match(outcome.ok ? '' : outcome.error.message, /longer than 1234 ms \(--analysis-timeout\)/);
    assert.equal(starsOf(await next), 15);
  });

  test('close() ends running and queued jobs as E_POOL_CLOSED without replacing workers', async (t) => {
    const pool = await AnalysisPool.start({ size: 1, workerScript: MISBEHAVING });
    const replaced: PoolEvent[] = [];
    pool.on((e) => e.type === 'worker-replaced' && replaced.push(e));
    const busy = nextEvent(pool, (e) => e.type === 'worker-busy');
    const running = pool.analyze(job('hang'));
    const queued = pool.analyze(job('queued'));
    await busy;
    await pool.close();
    const codes = (await Promise.all([running, queued])).map((o) => (o.ok ? 'ok' : o.error.code));
    assert.deepEqual(codes, ['E_POOL_CLOSED', 'E_POOL_CLOSED']);
    assert.deepEqual(replaced, []);
    const late = await pool.analyze(job('late'));
    assert.equal(late.ok ? 'ok' : late.error.code, 'E_POOL_CLOSED');
    t.diagnostic('closed cleanly');
  });

  test('workers that cannot start fail each job with E_WORKER_START and the reason, at once', async () => {
    const pool = AnalysisPool.create({ size: 1, workerScript: join(repoRoot, 'dist', 'no-such-worker.js') });
    const outcome = await pool.analyze(job('a'));
    await pool.close();
    assert.deepEqual(outcome, {
      ok: false,
      id: 'a',
      error: {
        code: 'E_WORKER_START',
        message: `The analysis workers could not start (Cannot find module '${join(repoRoot, 'dist', 'no-such-worker.js')}'); check the installation (npm ci).`,
      },
    });
  });

  test("threads.js' own SIGINT/SIGTERM handlers (which exit with code 0) are removed", async () => {
    const before = { SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') };
    loadThreads();
    const pool = await AnalysisPool.start({ size: 1 });
    await pool.close();
    assert.deepEqual({ SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') }, before);
  });

  test('the pool keeps no outcome once it has been returned (results would pile up over a long run)', async (t) => {
    const pool = await AnalysisPool.start({ size: 1 });
    t.after(() => pool.close());
    // In a function of its own, so that no variable of this test's frame holds an outcome.
    const analysed = async (id: string): Promise<WeakRef<AnalysisOutcome>> => {
      const outcome = await pool.analyze(job(id));
      assert.equal(starsOf(outcome), 15);
      return new WeakRef(outcome);
    };
    const outcomes = [await analysed('r1'), await analysed('r2'), await analysed('r3')];
    // A WeakRef holds its target until the current job ends.
    await new Promise(setImmediate);
    collectGarbage();
    assert.deepEqual(outcomes.map((ref) => ref.deref() === undefined), [true, true, true], 'an outcome is still reachable');
  });

  test('memory() asked while the pool closes settles (a terminated worker never answers; it hung the soak at its end)', async () => {
    for (let round = 0; round < 5; round++) {
      const pool = await AnalysisPool.start({ size: 2 });
      const asked = pool.memory().then(
        (memory) => `answered by ${memory.length}`,
        (error: Error) => error.message,
      );
      await pool.close();
      assert.match(await asked, /^answered by 2$|^Analysis worker [01] stopped before it said its memory\.$/);
      await assert.rejects(pool.memory(), /^Error: Analysis worker 0 is not running\.$/);
    }
  });

  test('memory stays flat over 500 images: every Mat is deleted', async (t) => {
    const pool = await AnalysisPool.start({ size: 1 });
    t.after(() => pool.close());
    const run = async (from: number, count: number) => {
      for (let i = from; i < from + count; i++) starsOf(await pool.analyze({ ...job(`m${i % 10}`) }));
    };
    await run(0, 20);
    const [warm] = await pool.memory();
    await run(20, 500);
    const [end] = await pool.memory();
    assert.ok(warm && end);
    assert.ok(warm.wasmHeapBytes > 0);
    assert.equal(end.wasmHeapBytes, warm.wasmHeapBytes, 'the wasm heap grew: a Mat was not deleted');
    t.diagnostic(`wasm heap ${warm.wasmHeapBytes} bytes; JS heap ${warm.jsHeapBytes} → ${end.jsHeapBytes} bytes`);
    assert.ok(end.jsHeapBytes - warm.jsHeapBytes < 32 * 1024 * 1024, 'the JS heap grew by more than 32 MiB');
  });
});
