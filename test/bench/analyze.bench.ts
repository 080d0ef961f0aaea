/**
 * `npm run bench:analyze -- [DIR] [--runs N] [--repeat K]`: how fast stardash analyses a folder.
 *
 * 1. Per image, on the main thread: decode (read + decode), detect and annotate (draw + encode +
 *    write) ms, median of N runs.
 * 2. The whole folder, listed K times so that every core has work, through the worker pool with one
 *    worker per core: median wall of N runs, in images per second.
 * 3. Native OpenCV doing the seed's work on the same files (cv2.imread + SimpleBlobDetector +
 *    drawKeypoints + imwrite, in a process pool of all cores; test/bench/native_seed.py), where
 *    Debian's python3-opencv is installed, and the ratio. Files OpenCV cannot read are left out of both.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeImage, type AnalysisJob, type AnalysisTimings } from '../../src/analysis/analyze-image.js';
import { AnalysisPool } from '../../src/analysis/pool.js';
import { processedName } from '../../src/orchestrator/naming.js';
import { expandPaths } from '../../src/sources/local.js';
import { median } from '../helpers/median.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const PYTHON = '/usr/bin/python3';

interface NativeFigures {
  opencv: string;
  workers: number;
  unreadable: string[];
  images: number;
  wallSeconds: number;
}

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const dir = args.find((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? join(REPO, 'test/fixtures/images');
const runs = option('--runs', 5);
const workers = availableParallelism();

/** Native OpenCV's figures for `files`, or why there are none. */
function runNative(files: string[], out: string): NativeFigures | string {
  if (!existsSync(PYTHON)) return 'no /usr/bin/python3 (Debian python3-opencv) on this machine';
  try {
    const stdout = execFileSync(PYTHON, [join(REPO, 'test/bench/native_seed.py'), out, String(runs), ...files], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(stdout) as NativeFigures;
  } catch (error) {
    return (error as Error).message.split('\n').slice(-2).join(' ');
  }
}

const out = await mkdtemp(join(tmpdir(), 'stardash-bench-'));
try {
  const all = (await expandPaths([dir])).flatMap((input) => (input.kind === 'image' ? [input.path] : []));
  const repeat = option('--repeat', Math.max(1, Math.ceil((8 * workers) / all.length)));
  const listed = (files: string[]) => Array.from({ length: repeat }, () => files).flat();
  const native = runNative(listed(all), join(out, 'native'));
  const files = typeof native === 'string' ? all : all.filter((f) => !native.unreadable.includes(f));
  const names = new Set<string>();
  const jobs: AnalysisJob[] = listed(files).map((file, i) => ({
    id: `${i}`,
    input: file,
    processed: join(out, processedName(file, names)),
    detector: { name: 'blob' },
    maxPixels: 1e9,
  }));

  console.log(`Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${workers} cores, Node ${process.version}`);
  console.log(`Folder: ${dir}: ${files.length} images, listed ${repeat}× for the throughput runs; medians of ${runs} runs`);
  if (typeof native !== 'string' && native.unreadable.length > 0) {
    console.log(`Left out (OpenCV ${native.opencv} cannot read them): ${native.unreadable.map((f) => basename(f)).join(', ')}`);
  }

  console.log(`\n${'image'.padEnd(44)} ${'pixels'.padStart(9)}   decode   detect  annotate  stars`);
  let megapixels = 0;
  for (const job of jobs.slice(0, files.length)) {
    const timings: AnalysisTimings[] = [];
    let summary = '';
    for (let r = 0; r <= runs; r++) {
      const outcome = await analyzeImage(job);
      if (!outcome.ok) throw new Error(`${job.input}: ${outcome.error.message}`);
      if (r === 0) {
        megapixels += (outcome.width * outcome.height) / 1e6;
        summary = `${`${outcome.width}×${outcome.height}`.padStart(9)}`;
        continue; // the first run warms up
      }
      timings.push(outcome.timings);
      if (r === runs) summary += `  ${[(t: AnalysisTimings) => t.readMs + t.decodeMs, (t: AnalysisTimings) => t.detectMs, (t: AnalysisTimings) => t.annotateMs].map((pick) => median(timings.map(pick)).toFixed(1).padStart(7)).join('  ')}   ${outcome.keypoints.length}`;
    }
    console.log(`${basename(job.input).slice(0, 44).padEnd(44)} ${summary}`);
  }

  const pool = await AnalysisPool.start({ size: workers });
  await Promise.all(jobs.slice(0, workers).map((job) => pool.analyze(job)));
  const walls: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const outcomes = await Promise.all(jobs.map((job) => pool.analyze(job)));
    walls.push((performance.now() - t0) / 1000);
    const failed = outcomes.find((o) => !o.ok);
    if (failed) throw new Error(`an analysis failed: ${JSON.stringify(failed)}`);
  }
  await pool.close();
  const wall = median(walls);
  const rate = jobs.length / wall;
  console.log(`\nstardash: ${jobs.length} images in ${wall.toFixed(2)} s with ${workers} worker threads = ${rate.toFixed(1)} images/s (${((megapixels * repeat) / wall).toFixed(1)} MP/s)`);
  if (typeof native === 'string') {
    console.log(`native OpenCV: not compared (${native})`);
  } else {
    const nativeRate = native.images / native.wallSeconds;
    console.log(`native OpenCV ${native.opencv}, process pool of ${native.workers}: ${native.images} images in ${native.wallSeconds.toFixed(2)} s = ${nativeRate.toFixed(1)} images/s`);
    console.log(`stardash ÷ native throughput: ${(rate / nativeRate).toFixed(2)}×`);
  }
} finally {
  await rm(out, { recursive: true, force: true });
}
