/**
 * A long `stardash demo --faults` run, in this process, as the command runs it (runDemo: the demo
 * server in its own process, downloads, the worker pool, the journal, the report), with the memory
 * of both processes sampled every few seconds (after collecting the main thread's garbage), and the report checked against what the demo's fault set says each image must end as.
 * Used by `npm run bench:soak` (2,000 images) and by a short test.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { EventEmitter } from 'node:events';
import type { AnalysisPool } from '../../src/analysis/pool.js';
import { runDemo } from '../../src/cli/remote.js';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import type { Report } from '../../src/report/report.js';
import { mallocInfo } from '../helpers/malloc-info.js';
import { demoIndexOfDate } from '../../src/sources/demo/catalogue.js';
import { demoFaultsFor, isDemoVideo } from '../../src/sources/demo/index.js';

export interface SoakOptions {
  count: number;
  out: string;
  workers: number;
  /** The fault set repeats every this many images. @default 24 */
  faultPeriod?: number;
  /** Between memory samples. @default 2000 */
  intervalMs?: number;
  /** Download timeout: a stalled image waits this long before its retry. @default 1500 */
  timeoutMs?: number;
  onSample?: (sample: Sample) => void;
}

export interface Sample {
  /** Seconds since the start. */
  t: number;
  /** Images ended (done, failed or skipped) so far. */
  ended: number;
  /** process.memoryUsage(), MiB: the whole process, worker threads included, then the main thread's heaps. */
  rss: number;
  /** The demo server's process (`stardash demo` runs it apart): its RSS, MiB, and CPU time so far, s. */
  serverRss: number;
  serverCpu: number;
  heapUsed: number;
  /** The main thread's V8 heap as resident pages (v8.getHeapStatistics().total_physical_size). */
  heapPhysical: number;
  external: number;
  arrayBuffers: number;
  /** Summed over the workers, MiB: their wasm (OpenCV) heaps and their JS heaps. */
  workersWasm: number;
  workersHeap: number;
  /** glibc's heap, MiB (mallinfo2; NaN without glibc): allocated and not freed; held free by its arenas. */
  mallocInUse: number;
  mallocFree: number;
}

export interface SoakResult {
  exitCode: number;
  seconds: number;
  samples: Sample[];
  report: Report;
  /** Every way the report differs from what each image must end as; empty when all is accounted for. */
  problems: string[];
}

const MiB = 1024 * 1024;

/**
 * A full garbage collection of the main thread's heap (as `node --expose-gc` gives it), which every
 * sample starts with: the main thread's garbage (each image's download, events and report lines)
 * waits for V8's next major collection, so between two the heap holds 20 to 40 MiB more or less at
 * random, and a sample should read what the run keeps, not where V8's collector is.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

export async function soak(options: SoakOptions): Promise<SoakResult> {
  const { count, out, workers, faultPeriod = 24, intervalMs = 2000, timeoutMs = 1500 } = options;
  const samples: Sample[] = [];
  let run: { orchestrator: Orchestrator; pool: AnalysisPool } | undefined;
  const started = performance.now();
  const sample = async (): Promise<void> => {
    collectGarbage();
    const memory = process.memoryUsage();
    const threads = run ? await run.pool.memory().catch(() => []) : [];
    const state = run?.orchestrator.snapshot;
    const malloc = mallocInfo();
    const server = await serverUsage();
    const s: Sample = {
      t: (performance.now() - started) / 1000,
      ended: state ? state.counts.done + state.counts.failed + state.counts.skipped : 0,
      rss: memory.rss / MiB,
      serverRss: server.rss,
      serverCpu: server.cpu,
      heapUsed: memory.heapUsed / MiB,
      heapPhysical: getHeapStatistics().total_physical_size / MiB,
      external: memory.external / MiB,
      arrayBuffers: memory.arrayBuffers / MiB,
      workersWasm: threads.reduce((sum, m) => sum + m.wasmHeapBytes, 0) / MiB,
      workersHeap: threads.reduce((sum, m) => sum + m.jsHeapBytes, 0) / MiB,
      mallocInUse: malloc ? malloc.inUse / MiB : Number.NaN,
      mallocFree: malloc ? malloc.free / MiB : Number.NaN,
    };
    samples.push(s);
    options.onSample?.(s);
  };
  let sampling = Promise.resolve();
  const timer = setInterval(() => (sampling = sampling.then(sample)), intervalMs);
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  let exitCode: number;
  try {
    exitCode = await runDemo(
      { count, seed: 1, latency: 0, faults: true, faultPeriod },
      { concurrency: 8, retries: 3, timeout: timeoutMs, maxBytes: 500 * MiB },
      { out, workers, detector: { name: 'blob' }, json: true, analysisTimeout: 120_000, maxPixels: 100_000_000, tui: false, inspect: (r) => (run = r) },
      { stdout: sink, stderr: process.stderr, signals: new EventEmitter() },
    );
  } finally {
    clearInterval(timer);
  }
  await sampling;
  const seconds = (performance.now() - started) / 1000;
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
  return { exitCode, seconds, samples, report, problems: accountFor(report, count, faultPeriod) };
}

/** The demo server's process (this process's only child): its RSS in MiB and CPU time in seconds, from /proc; zeros without. */
async function serverUsage(): Promise<{ rss: number; cpu: number }> {
  const tasks = await readdir(`/proc/${process.pid}/task`).catch(() => []);
  const children = await Promise.all(tasks.map((task) => readFile(`/proc/${process.pid}/task/${task}/children`, 'utf8').catch(() => '')));
  const pid = children.join(' ').split(' ').find(Boolean);
  const read = (file: string): Promise<string> => (pid ? readFile(`/proc/${pid}/${file}`, 'utf8').catch(() => '') : Promise.resolve(''));
  const [status, stat] = await Promise.all([read('status'), read('stat')]);
  const rssKiB = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0);
  // utime and stime, the 14th and 15th fields, in clock ticks (100 a second on Linux); the name, 2nd, may hold spaces.
  const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rss: rssKiB / 1024, cpu: (Number(ticks[11] ?? 0) + Number(ticks[12] ?? 0)) / 100 };
}

/** How the report differs from the demo's promise: every image once, each ending as its fault (or none) says. */
export function accountFor(report: Report, count: number, faultPeriod: number): string[] {
  const problems: string[] = [];
  const permanent = new Map(demoFaultsFor(count, faultPeriod).filter((f) => !f.recovers).map((f) => [f.index, f.kind]));
  const CODES = { 'not-found': 'E_HTTP_404', html: 'E_NOT_AN_IMAGE' } as Record<string, string>;
  const seen = new Set<number>();
  for (const image of report.images) {
    const index = demoIndexOfDate(image.id);
    if (seen.has(index)) problems.push(`${image.id} (image ${index}) is in the report twice`);
    seen.add(index);
    const fault = permanent.get(index);
    const expected = isDemoVideo(index, count) ? 'skipped' : fault ? `failed ${CODES[fault]}` : 'done';
    const got = image.status === 'failed' ? `failed ${image.errorCode}` : image.status;
    if (got !== expected) problems.push(`image ${index}: ${got}, expected ${expected}${image.error ? ` (${image.error})` : ''}`);
  }
  for (let index = 0; index < count; index++) if (!seen.has(index)) problems.push(`image ${index} is missing from the report`);
  const { totals } = report;
  const sum = totals.done + totals.failed + totals.skipped;
  if (totals.tasks !== count || sum !== count) problems.push(`totals ${JSON.stringify(totals)} do not add up to ${count}`);
  if (report.interrupted) problems.push('the report says the run was interrupted');
  return problems;
}

/**
 * "Flat": the RSS slope over the second half, per 1,000 images ended. Not zero: the run keeps every
 * image's state for the report (under 1 KiB an image without the dashboard, by `npm run
 * bench:retained`), and RSS sampled while images of 1 to 20 MiB are in flight scatters by tens of
 * MiB, which leaves a 2,000-image run's slope an error of several MiB per 1,000.
 */
export const FLAT_MIB_PER_1000 = 20;

/**
 * PASS when the slope is under the line even two standard errors up, MISS when it is over even two
 * down, and otherwise that one run cannot tell: a 2-second sample lands anywhere on the saw of
 * images of 1 to 70 MiB being drawn, downloaded and decoded, which leaves a 2,000-image run's slope
 * an error of ±5 to ±15 MiB per 1,000.
 */
export function flatVerdict({ slope, error }: { slope: number; error: number }): string {
  if (slope + 2 * error <= FLAT_MIB_PER_1000) return 'PASS';
  if (slope - 2 * error > FLAT_MIB_PER_1000) return 'MISS';
  return `cannot tell from this run (${slope >= 0 ? '+' : ''}${slope.toFixed(1)} ± ${error.toFixed(1)})`;
}

/**
 * The mean of several runs' slopes and its standard error, the runs being independent: one
 * 2,000-image run's slope of both processes scatters by ±5 to ±20 MiB per 1,000 (what is in flight
 * when a sample is taken), which a few runs narrow where one cannot tell.
 */
export function pooledSlope(runs: readonly { slope: number; error: number }[]): { slope: number; error: number } {
  const n = runs.length;
  if (n === 0) return { slope: 0, error: 0 };
  return { slope: runs.reduce((sum, r) => sum + r.slope, 0) / n, error: Math.sqrt(runs.reduce((sum, r) => sum + r.error ** 2, 0)) / n };
}

/**
 * Least-squares line through the points: its slope and the slope's standard error (from the
 * scatter of the points about the line; 0 with fewer than three points).
 */
export function fit(points: readonly { x: number; y: number }[]): { slope: number; error: number } {
  const n = points.length;
  if (n < 2) return { slope: 0, error: 0 };
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx === 0) return { slope: 0, error: 0 };
  const slope = sxy / sxx;
  if (n < 3) return { slope, error: 0 };
  const residuals = points.reduce((s, p) => s + (p.y - my - slope * (p.x - mx)) ** 2, 0);
  return { slope, error: Math.sqrt(residuals / (n - 2) / sxx) };
}

/**
 * The samples of a run's second half, after the caches and workers have warmed up, while it runs:
 * the sample taken once every image has ended is after the run (its workers and the demo server
 * gone, their memory with them) and would pull the slope down.
 */
export function secondHalf<T extends { ended: number }>(samples: readonly T[], count: number): T[] {
  return samples.filter((s) => s.ended >= count / 2 && s.ended < count);
}

/** Images a block of the slope's fit: samples within it move together (see blockSlope). */
export const SLOPE_BLOCK_IMAGES = 100;

/**
 * The RSS slope (MiB per 1,000 images) over `samples`, fitted to the means of blocks of
 * SLOPE_BLOCK_IMAGES images, with its standard error. Samples 2 s apart are not independent: a
 * process holding a 4 to 70 MiB array for seconds (the demo server drawing a sky) is high or low
 * for several samples in a row, and a fit to the samples themselves gives an error too small for
 * that, so a flat run could be judged as climbing. Block means are near independent.
 */
export function blockSlope<T extends { ended: number }>(samples: readonly T[], value: (s: T) => number): { slope: number; error: number } {
  const blocks = windowMeans(samples.map((s) => ({ x: s.ended, y: value(s) })), SLOPE_BLOCK_IMAGES);
  return fit(blocks.map((b) => ({ x: (b.from + SLOPE_BLOCK_IMAGES / 2) / 1000, y: b.mean })));
}

/**
 * The mean of `y` over consecutive windows of `width` in `x` (images ended), from 0: a level per
 * window, which a few samples taken while large images are in flight move less than they move a
 * slope. Windows without samples are left out.
 */
export function windowMeans(points: readonly { x: number; y: number }[], width: number): { from: number; mean: number; n: number }[] {
  const windows = new Map<number, { sum: number; n: number }>();
  for (const { x, y } of points) {
    const from = Math.floor(x / width) * width;
    const w = windows.get(from) ?? { sum: 0, n: 0 };
    windows.set(from, { sum: w.sum + y, n: w.n + 1 });
  }
  return [...windows].sort(([a], [b]) => a - b).map(([from, { sum, n }]) => ({ from, mean: sum / n, n }));
}
