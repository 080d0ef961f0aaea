/**
 * `npm run bench:retained -- [--count 200] [--workers N] [--detector blob|sky]`: how much of the
 * main thread's memory a run's state keeps for each done image to the end of the run. Runs
 * `stardash demo --json` in this process (node --expose-gc), keeping the thumbnails a dashboard
 * run keeps (a run without the dashboard keeps none), holds the finished orchestrator, then
 * measures (after full collections) with it held, with its tasks' thumbnails dropped, and with it
 * released: the differences are what the thumbnails and the whole state keep.
 */
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runDemo } from '../../src/cli/remote.js';
import type { Orchestrator } from '../../src/orchestrator/orchestrator.js';
import { numberOption } from './args.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:retained does)');
const args = process.argv.slice(2);
const count = numberOption(args, '--count', 200);
const workers = numberOption(args, '--workers', availableParallelism());
const detector = args.includes('--detector') && args[args.indexOf('--detector') + 1] === 'sky' ? 'sky' : 'blob';

/** heapUsed and arrayBuffers (a thumbnail's larger typed arrays live outside the heap), bytes, after full collections. */
function memory(): { heap: number; buffers: number } {
  for (let i = 0; i < 3; i++) gc!();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}

const out = await mkdtemp(join(tmpdir(), 'stardash-retained-'));
let orchestrator: Orchestrator | undefined;
const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
const code = await runDemo(
  { count, seed: 1, latency: 0, faults: false },
  { concurrency: 8, retries: 3, timeout: 30_000, maxBytes: 500 * 1024 * 1024 },
  { out, workers, detector: { name: detector }, json: true, analysisTimeout: 120_000, maxPixels: 100_000_000, tui: false, thumbnails: true, inspect: (run) => (orchestrator = run.orchestrator) },
  { stdout: sink, stderr: process.stderr, signals: new EventEmitter() },
);
const state = orchestrator!.snapshot;
const done = state.counts.done;
const stars = state.stars;
const held = memory();
for (const task of state.tasks) {
  // Only for the measurement: the run is over and nothing reads its state again.
  if (task.result) delete (task.result as { thumbnail?: unknown }).thumbnail;
}
const thumbless = memory();
orchestrator = undefined;
const released = memory();
await rm(out, { recursive: true, force: true });

const kib = (bytes: number): string => (bytes / 1024 / done).toFixed(2);
console.log(`stardash demo --count ${count} --detector ${detector} --json, ${workers} worker(s): exit ${code}, ${done} done, ${stars} stars (${(stars / done).toFixed(0)} an image)`);
console.log(`retained per done image, KiB (heap + array buffers): thumbnails ${kib(held.heap - thumbless.heap)} + ${kib(held.buffers - thumbless.buffers)}; whole state ${kib(held.heap - released.heap)} + ${kib(held.buffers - released.buffers)}`);
