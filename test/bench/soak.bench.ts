/**
 * `npm run bench:soak -- [--count 2000] [--workers N] [--interval S] [--keep]`: a long
 * `stardash demo --faults` run (the fault set repeating every 24 images) with the memory sampled
 * every few seconds. Prints the samples, the RSS slope over the run's second half (after the
 * caches and workers have warmed up), and whether every image is in the report as the demo's
 * fault set says it must end. Exits 1 when an image is unaccounted for.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { slope, soak, type Sample } from './soak.js';
import { numberOption } from './args.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number, min = 1): number => numberOption(args, name, fallback, min);
const count = option('--count', 2000);
const workers = option('--workers', availableParallelism());
const intervalMs = option('--interval', 2) * 1000;
const keep = args.includes('--keep');

const out = await mkdtemp(join(tmpdir(), 'stardash-soak-'));
const row = (cells: (string | number)[]): string => cells.map((c) => String(c).padStart(9)).join(' ');
const mib = (v: number): string => v.toFixed(1);
console.log(`stardash demo --count ${count} --faults (fault set every 24 images), ${workers} worker(s) → ${out}`);
console.log(`${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}`);
console.log(row(['t s', 'ended', 'rss MiB', 'heap', 'external', 'arraybuf', 'w.wasm', 'w.heap']));
const print = (s: Sample): void =>
  console.log(row([s.t.toFixed(0), s.ended, mib(s.rss), mib(s.heapUsed), mib(s.external), mib(s.arrayBuffers), mib(s.workersWasm), mib(s.workersHeap)]));

const result = await soak({ count, out, workers, intervalMs, onSample: print });
const { samples, report, problems } = result;
const half = samples.filter((s) => s.ended >= count / 2);
const perMinute = slope(half.map((s) => ({ x: s.t / 60, y: s.rss })));
const perThousand = slope(half.map((s) => ({ x: s.ended / 1000, y: s.rss })));
const rss = samples.map((s) => s.rss);
console.log('');
console.log(`${result.seconds.toFixed(0)} s, exit ${result.exitCode}; report: ${JSON.stringify(report.totals)}`);
console.log(
  `RSS: min ${mib(Math.min(...rss))}, max ${mib(Math.max(...rss))} MiB; over the second half (${half.length} samples): ` +
    `${perMinute >= 0 ? '+' : ''}${perMinute.toFixed(1)} MiB/min, ${perThousand >= 0 ? '+' : ''}${perThousand.toFixed(1)} MiB per 1,000 images`,
);
console.log(problems.length === 0 ? `Every one of the ${count} images is in the report once, ending as the fault set says.` : problems.slice(0, 20).join('\n'));
if (!keep) await rm(out, { recursive: true, force: true });
process.exitCode = problems.length === 0 ? 0 : 1;
