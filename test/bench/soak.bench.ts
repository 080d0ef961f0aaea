/**
 * `npm run bench:soak -- [--count 2000] [--runs R (1)] [--workers N] [--interval S (1)] [--keep]`: a long
 * `stardash demo --faults` run (the fault set repeating every 24 images) with the memory sampled
 * every S seconds. Prints the samples, the RSS slope over the run's second half (after the
 * caches and workers have warmed up) with its standard error, whether that is flat (within
 * FLAT_MIB_PER_1000), and whether every image is in the report as the demo's fault set says it
 * must end; with --runs R, R such runs one after another and the verdict on the mean of their
 * slopes. Exits 1 when an image is unaccounted for.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { endAs, relaunch, relaunchEnv, settleRelaunched } from '../../src/launch/relaunch.js';
import { blockSlope, FLAT_MIB_PER_1000, fit, flatVerdict, pooledSlope, secondHalf, SLOPE_BLOCK_IMAGES, soak, windowMeans, type Sample } from './soak.js';
import { numberOption } from './args.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number, min = 1): number => numberOption(args, name, fallback, min);
const count = option('--count', 2000);
const workers = option('--workers', availableParallelism());
const intervalMs = option('--interval', 1, 0.1) * 1000;
const keep = args.includes('--keep');
const runs = option('--runs', 1);

// As bin/stardash.js runs a batch run (output not a terminal): on Linux in a second Node with glibc's allocator set
// (src/launch/relaunch.ts), whether or not this bench prints to a terminal.
const env = relaunchEnv({ platform: process.platform, env: process.env, execArgv: process.execArgv, interactive: false });
if (env) {
  endAs(await relaunch(fileURLToPath(import.meta.url), args, env));
} else {
  const threshold = process.env.MALLOC_MMAP_THRESHOLD_ ?? '(glibc\'s, moving)';
  settleRelaunched();
  const results = [];
  for (let run = 1; run <= runs; run++) {
    if (runs > 1) console.log(`${run > 1 ? '\n' : ''}Run ${run} of ${runs}`);
    results.push(await bench(threshold));
  }
  if (runs > 1) {
    const both = pooledSlope(results.map((r) => r.both));
    console.log(`\nOver the ${runs} runs: both processes' second-half slope ${both.slope >= 0 ? '+' : ''}${both.slope.toFixed(1)} ± ${both.error.toFixed(1)} MiB per 1,000 images (the runs' mean): ${flatVerdict(both)}`);
  }
  process.exitCode = results.every((r) => r.accounted) ? 0 : 1;
}

/** One soak run, printed; its slope of both processes' RSS, and whether every image was accounted for. */
async function bench(mmapThreshold: string): Promise<{ both: { slope: number; error: number }; accounted: boolean }> {
  const out = await mkdtemp(join(tmpdir(), 'stardash-soak-'));
  const row = (cells: (string | number)[]): string => cells.map((c) => String(c).padStart(9)).join(' ');
  const mib = (v: number): string => v.toFixed(1);
  console.log(`stardash demo --count ${count} --faults (fault set every 24 images), ${workers} worker(s) → ${out}`);
  console.log(`${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.versions.node}, MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX ?? '(unset)'}, MALLOC_MMAP_THRESHOLD_=${mmapThreshold}, ${new Date().toISOString().slice(0, 10)}`);
  console.log(row(['t s', 'ended', 'rss MiB', 'server', 'both', 'heap', 'heap res', 'external', 'arraybuf', 'w.wasm', 'w.heap', 'malloc', 'freeheld']));
  const print = (s: Sample): void =>
    console.log(row([s.t.toFixed(0), s.ended, mib(s.rss), mib(s.serverRss), mib(s.rss + s.serverRss), mib(s.heapUsed), mib(s.heapPhysical), mib(s.external), mib(s.arrayBuffers), mib(s.workersWasm), mib(s.workersHeap), mib(s.mallocInUse), mib(s.mallocFree)]));

  const cpuBefore = process.cpuUsage();
  const result = await soak({ count, out, workers, intervalMs, onSample: print });
  const { samples, report, problems } = result;
  const signed = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;
  console.log('');
  const cpu = process.cpuUsage(cpuBefore);
  const server = samples.at(-1)?.serverCpu ?? 0;
  console.log(
    `${result.seconds.toFixed(0)} s (CPU: stardash ${(cpu.user / 1e6).toFixed(0)} s user + ${(cpu.system / 1e6).toFixed(0)} s system, ` +
      `the demo server ${server.toFixed(0)} s), exit ${result.exitCode}; report: ${JSON.stringify(report.totals)}`,
  );
  const half = secondHalf(samples, count);
  const during = samples.filter((s) => s.ended > 0 && s.ended < count);
  const series = [
    { name: 'stardash (downloads, workers, report)', rss: (s: Sample) => s.rss },
    { name: 'the demo server', rss: (s: Sample) => s.serverRss },
    { name: 'both processes', rss: (s: Sample) => s.rss + s.serverRss },
  ];
  let both = { slope: 0, error: 0 };
  for (const { name, rss } of series) {
    const line = blockSlope(half, rss);
    const windows = windowMeans(during.map((s) => ({ x: s.ended, y: rss(s) })), 500);
    const all = samples.map(rss);
    console.log(
      `RSS of ${name}: min ${Math.min(...all).toFixed(0)}, max ${Math.max(...all).toFixed(0)} MiB; second half ${signed(line.slope)} ± ${line.error.toFixed(1)} MiB per 1,000 images (fitted to ${SLOPE_BLOCK_IMAGES}-image means); ` +
        `by 500 images ended (window means): ${windows.map((w) => `${w.from}: ${w.mean.toFixed(0)}`).join(', ')}`,
    );
    both = line; // the last: both processes, the run's memory
  }
  const inUse = fit(half.map((s) => ({ x: s.ended / 1000, y: s.mallocInUse })));
  if (Number.isFinite(inUse.slope)) {
    console.log(`stardash's glibc heap in use (allocated, not freed) over the second half: ${signed(inUse.slope)} ± ${inUse.error.toFixed(1)} MiB per 1,000 images`);
  }
  console.log(`RSS flat (both processes' second-half slope ≤ ${FLAT_MIB_PER_1000} MiB per 1,000 images, two standard errors either way): ${flatVerdict(both)}`);
  console.log(problems.length === 0 ? `Every one of the ${count} images is in the report once, ending as the fault set says.` : problems.slice(0, 20).join('\n'));
  if (!keep) await rm(out, { recursive: true, force: true });
  return { both, accounted: problems.length === 0 };
}
