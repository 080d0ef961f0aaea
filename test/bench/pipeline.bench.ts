/**
 * `npm run bench:pipeline -- [--count N] [--seed S] [--latency MS] [--bandwidth KIBPS] [--runs N]
 * [--concurrency N] [--workers N]`: does streaming overlap downloads with analyses?
 *
 * The demo server (same process, as `stardash demo` runs it) serves N skies with a latency before
 * each response and each body throttled to KIBPS on its own. Per run, each in a fresh temp folder
 * (so the downloads manifest never skips anything), on one warm worker pool:
 * 1. download-only: the Downloader fetching the whole listing, nothing analysed;
 * 2. analyse-only: Orchestrator.runLocal on the files of 1 (same workers);
 * 3. streaming: Orchestrator.runRemote, fresh downloads;
 * 4. two-phase: Orchestrator.runRemote with twoPhase, fresh downloads.
 * Medians of the runs. Target: streaming ≤ 1.15 × max(download-only, analyse-only).
 * A throwaway streaming run first renders every sky into the server's cache (the server renders
 * on first request) and warms the workers, so rendering is counted in no mode. The default
 * bandwidth makes downloading take about 1.3× as long as analysing on a 2-core machine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance as perf } from 'node:perf_hooks';
import { AnalysisPool } from '../../src/analysis/pool.js';
import { Downloader } from '../../src/download/downloader.js';
import { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import type { RunState } from '../../src/orchestrator/state.js';
import { demoListing, startDemoServer } from '../../src/sources/demo/index.js';
import type { RemoteListing } from '../../src/sources/remote.js';
import { median } from '../helpers/median.js';
import { numberOption } from './args.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number, min = 1): number => numberOption(args, name, fallback, min);
const count = option('--count', 24);
const seed = option('--seed', 1, -Infinity);
const latencyMs = option('--latency', 50, 0);
const bandwidthKiBps = option('--bandwidth', 6144);
const runs = option('--runs', 3);
const concurrency = option('--concurrency', 8);
const workers = option('--workers', availableParallelism());
/** The Downloader's default per-host limit: every demo image comes from one host. */
const PER_HOST = 4;

interface Figures {
  /** Wall, and the CPU the whole process (main thread, workers, libuv) used, in s. */
  seconds: number;
  cpu: number;
  /** When the first and the last download landed, in s from the start (remote runs). */
  landed?: [number, number];
  /** How busy the main thread's event loop was (0–1), and its delay's 99th percentile in ms. */
  busy: number;
  loopP99: number;
}

async function timed<T>(work: () => Promise<T>): Promise<Figures & { value: T }> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const elu0 = perf.eventLoopUtilization();
  const t0 = performance.now();
  const value = await work();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const busy = perf.eventLoopUtilization(elu0).utilization;
  loop.disable();
  return { seconds, cpu: (cpu.user + cpu.system) / 1e6, busy, loopP99: loop.percentile(99) / 1e6, value };
}

function check(state: RunState, mode: string): void {
  const { counts } = state;
  if (counts.failed > 0) throw new Error(`${mode}: ${counts.failed} task(s) failed: ${JSON.stringify(state.tasks.find((t) => t.status === 'failed'))}`);
}

const loadBefore = loadavg()[0]!;
const server = await startDemoServer({ seed, count, latencyMs, bandwidthKiBps });
const pool = await AnalysisPool.start({ size: workers });
const temps: string[] = [];
const fresh = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'stardash-pipeline-'));
  temps.push(dir);
  return dir;
};
const detector = { name: 'blob' } as const;
const orchestrator = (out: string, twoPhase: boolean, downloads?: Downloader): Orchestrator =>
  new Orchestrator({ command: 'demo', out, detector, maxPixels: 1e9, pool, ...(downloads ? { downloads } : {}), twoPhase });

/** A whole remote run in a fresh folder, as `stardash demo` does it (minus pool start-up and the report). */
async function remote(listing: RemoteListing, twoPhase: boolean): Promise<Figures> {
  const out = await fresh();
  const downloads = new Downloader({ dir: join(out, 'downloads'), concurrency });
  const run = orchestrator(out, twoPhase, downloads);
  const landed: number[] = [];
  const t0 = performance.now();
  run.on((event) => void (event.type === 'download-done' && landed.push((performance.now() - t0) / 1000)));
  try {
    const { value, ...figures } = await timed(() => run.runRemote(listing));
    check(value, twoPhase ? 'two-phase' : 'streaming');
    return { ...figures, landed: [landed[0] ?? NaN, landed.at(-1) ?? NaN] };
  } finally {
    await downloads.close();
  }
}

try {
  const listing = await demoListing(server);
  const modes = { download: 'download only', analyse: 'analyse only', streaming: 'streaming', twoPhase: 'two-phase' } as const;
  const results: Record<keyof typeof modes, Figures[]> = { download: [], analyse: [], streaming: [], twoPhase: [] };
  let bytes = 0;

  process.stdout.write('Warming up (every sky rendered into the server cache, workers warmed)… ');
  console.log(`${(await remote(listing, false)).seconds.toFixed(2)} s`);

  for (let r = 1; r <= runs; r++) {
    // 1. Download only.
    // One signal for the run, as the orchestrator gives (without one, every queued request listens on the Downloader's own).
    const { signal } = new AbortController();
    const downloader = new Downloader({ dir: join(await fresh(), 'downloads'), concurrency });
    const fetchAll = () => Promise.all(listing.images.map((image) => downloader.download({ id: image.id, url: image.url, signal }, () => undefined)));
    const { value: files, ...download } = await timed(fetchAll);
    await downloader.close();
    if (files.some((d) => d.fromManifest)) throw new Error('download-only: a file came from the manifest');
    bytes = files.reduce((sum, d) => sum + d.bytes, 0);
    results.download.push(download);

    // 2. Analyse only, the files just downloaded.
    const inputs = files.map((d) => ({ kind: 'image' as const, path: d.file }));
    const { value: state, ...analyse } = await timed(async () => orchestrator(await fresh(), false).runLocal(inputs));
    check(state, 'analyse-only');
    results.analyse.push(analyse);

    // 3. and 4.: the whole pipelines.
    results.streaming.push(await remote(listing, false));
    results.twoPhase.push(await remote(listing, true));
    console.log(`run ${r}/${runs}: ${Object.entries(results).map(([mode, f]) => `${mode} ${f.at(-1)!.seconds.toFixed(2)} s`).join(', ')}`);
  }

  const med = (mode: keyof typeof modes, pick: (f: Figures) => number): number => median(results[mode].map(pick));
  const wall = (mode: keyof typeof modes): number => med(mode, (f) => f.seconds);
  const [download, analyse, streaming, twoPhase] = [wall('download'), wall('analyse'), wall('streaming'), wall('twoPhase')];
  const ratio = streaming / Math.max(download, analyse);
  const atOnce = Math.min(concurrency, PER_HOST);
  const mib = bytes / 1024 / 1024;
  console.log(`\nMachine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version} (1-min load average before the bench: ${loadBefore.toFixed(2)})`);
  console.log(
    `Settings: ${listing.images.length} images (seed ${seed}, ${mib.toFixed(1)} MiB), latency ${latencyMs} ms, ${bandwidthKiBps} KiB/s per response, ` +
      `concurrency ${concurrency} (${PER_HOST} per host: ${atOnce} at once ≤ ${((atOnce * bandwidthKiBps) / 1024).toFixed(1)} MiB/s), ${workers} worker(s), medians of ${runs} run(s)`,
  );
  console.log(`\n  ${'mode'.padEnd(14)} ${'wall'.padStart(8)} ${'CPU'.padStart(8)}  main busy, lag p99  downloads landed`);
  for (const mode of Object.keys(modes) as (keyof typeof modes)[]) {
    const at = (i: 0 | 1): string => med(mode, (f) => f.landed?.[i] ?? NaN).toFixed(2);
    const landed = mode === 'streaming' || mode === 'twoPhase' ? `  ${at(0)} s … ${at(1)} s` : '';
    const cells = [wall(mode), med(mode, (f) => f.cpu)].map((s) => `${s.toFixed(2).padStart(6)} s`).join(' ');
    const loop = `${(med(mode, (f) => f.busy) * 100).toFixed(0).padStart(6)} %, ${med(mode, (f) => f.loopP99).toFixed(0).padStart(3)} ms`;
    console.log(`  ${modes[mode].padEnd(14)} ${cells} ${loop} ${landed}`);
  }
  console.log(`\ndownload: ${(mib / download).toFixed(1)} MiB/s; analysis: ${(listing.images.length / analyse).toFixed(1)} images/s; download ÷ analyse = ${(download / analyse).toFixed(2)}×`);
  console.log(`streaming ÷ max(download, analyse) = ${ratio.toFixed(3)}× (target ≤ 1.15×: ${ratio <= 1.15 ? 'PASS' : 'MISS'})`);
  const last = med('streaming', (f) => f.landed?.[1] ?? NaN);
  console.log(`  streaming's last download landed at ${last.toFixed(2)} s (${((last / download - 1) * 100).toFixed(0)} % later than alone), then ${(streaming - last).toFixed(2)} s of analysis`);
  console.log(`two-phase ÷ streaming = ${(twoPhase / streaming).toFixed(2)}×`);
} finally {
  await pool.close();
  await server.close();
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
}
