/**
 * `npm run bench:detect -- [--skies N] [--runs R] [--seed S]`: how well and how fast each detector
 * finds the stars of the demo's generated skies, whose true stars are known.
 *
 * Each sky (seed S, indexes 0…N-1) is rendered, encoded as the demo serves it (JPEG quality 90 or
 * PNG) and decoded as `stardash analyze` decodes it. Per detector: precision, recall, F1 (a
 * detection within 3 px of a true star is found; faint stars, under 5σ of the noise, count neither
 * way) and the RMS distance of the found stars to their true centres, over all skies; and the
 * median over R runs of its time per image, on one thread. SEP (python3-sep, the C library
 * astronomers use) runs on the same files for reference when /usr/bin/python3 has it, with the time
 * of its mesh background alone, and native OpenCV's SimpleBlobDetector (the seed's) is timed there too.
 * `sky`'s own mesh background (the detection image, its level and noise) is timed alone as well.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { decodeImage, rgbToGray } from '../../src/analysis/decode.js';
import { createDetector, type DetectorSpec } from '../../src/analysis/detectors.js';
import { DEFAULT_SKY_PARAMS } from '../../src/analysis/sky/params.js';
import { coarseSky } from '../../src/analysis/sky/coarse.js';
import { addScores, scoreDetections, scoreFigures, type DetectionScore } from '../../src/analysis/score.js';
import { DEMO_JPEG_QUALITY } from '../../src/sources/demo/encode-sky.js';
import { renderSky, skyPlan, truthOf } from '../../src/sources/demo/sky.js';
import type { GrayImage } from '../../src/analysis/blob/detect.js';
import type { TrueStar } from '../../src/sources/remote.js';
import { median } from '../helpers/median.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const PYTHON = '/usr/bin/python3';
/** SEP's threshold in σ of the raw image's noise, as astronomers commonly run it. */
const SEP_THRESHOLD = 3;

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const skies = option('--skies', 12);
const runs = option('--runs', 3);
const seed = option('--seed', 1);
const detectors: DetectorSpec[] = [{ name: 'sky' }, { name: 'blob' }];

interface Sky {
  index: number;
  file: string;
  gray: GrayImage;
  truth: TrueStar[];
}

interface Tally {
  scores: DetectionScore[];
  ms: number[];
}

async function makeSky(index: number, dir: string): Promise<Sky> {
  const plan = skyPlan(seed, index);
  const raw = sharp(renderSky(plan), { raw: { width: plan.width, height: plan.height, channels: 3 } });
  const body = plan.format === 'png' ? await raw.png().toBuffer() : await raw.jpeg({ quality: DEMO_JPEG_QUALITY }).toBuffer();
  const file = join(dir, `${index}.${plan.format === 'png' ? 'png' : 'jpg'}`);
  await writeFile(file, body);
  const image = await decodeImage(body, file);
  return { index, file, gray: { data: rgbToGray(image), width: image.width, height: image.height }, truth: truthOf(plan) };
}

interface SepImage {
  ms: number;
  background_ms: number;
  blob_ms: number;
  stars: [number, number][];
}

function runSep(files: string[]): { version: string; images: SepImage[] } | string {
  if (!existsSync(PYTHON)) return 'no /usr/bin/python3 on this machine';
  try {
    const stdout = execFileSync(PYTHON, [join(REPO, 'test/bench/sep_detect.py'), String(runs), String(SEP_THRESHOLD), ...files], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const parsed = JSON.parse(stdout) as { sep: string; images: SepImage[] };
    return { version: parsed.sep, images: parsed.images };
  } catch (error) {
    return `SEP did not run (install Debian's python3-sep): ${(error as Error).message.split('\n').slice(-2).join(' ')}`;
  }
}

const meanMs = (ms: number[]): string => `${(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(1)} ms/image`;

/** The median of `runs` timings of `work` after one to warm up (ms), and what that first run gave. */
function timed<T>(work: () => T): { ms: number; result: T } {
  const result = work();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    work();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), result };
}

const figures = (tally: Tally): string => {
  const f = scoreFigures(addScores(tally.scores));
  return `precision ${f.precision.toFixed(3)}  recall ${f.recall.toFixed(3)}  F1 ${f.f1.toFixed(3)}  centroid RMS ${f.rms.toFixed(3)} px  ` +
    `${meanMs(tally.ms)} (mean of per-image medians)`;
};

const dir = await mkdtemp(join(tmpdir(), 'stardash-detect-'));
try {
  console.log(`Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}`);
  console.log(`Skies: demo seed ${seed}, indexes 0–${skies - 1}; times are medians of ${runs} runs on one thread\n`);
  const set: Sky[] = [];
  for (let index = 0; index < skies; index++) set.push(await makeSky(index, dir));
  const tallies = new Map<string, Tally>(detectors.map((d) => [d.name, { scores: [], ms: [] }]));
  const skyBackgroundMs: number[] = [];
  console.log(`${'sky'.padEnd(5)} ${'size'.padStart(10)} ${'stars'.padStart(6)} ${'faint'.padStart(6)}   ${detectors.map((d) => `${d.name}: F1 / ms`.padStart(18)).join('')}`);
  for (const sky of set) {
    let line = `${String(sky.index).padEnd(5)} ${`${sky.gray.width}×${sky.gray.height}`.padStart(10)} ${String(sky.truth.length).padStart(6)} ${String(sky.truth.filter((t) => t.faint).length).padStart(6)}   `;
    for (const spec of detectors) {
      const detector = createDetector(spec);
      const { ms, result: keypoints } = timed(() => detector.detect(sky.gray));
      const score = scoreDetections(keypoints, sky.truth);
      const tally = tallies.get(spec.name)!;
      tally.scores.push(score);
      tally.ms.push(ms);
      line += `${scoreFigures(score).f1.toFixed(3)} / ${ms.toFixed(1).padStart(6)}`.padStart(18);
    }
    skyBackgroundMs.push(timed(() => coarseSky(sky.gray, DEFAULT_SKY_PARAMS.meshSize, DEFAULT_SKY_PARAMS.meshFilter)).ms);
    console.log(line);
  }
  console.log('');
  for (const spec of detectors) {
    console.log(`${spec.name.padEnd(5)} ${figures(tallies.get(spec.name)!)}`);
    if (spec.name === 'sky') console.log(`      of which its mesh background alone (coarseSky): ${meanMs(skyBackgroundMs)}`);
  }
  const sep = runSep(set.map((s) => s.file));
  if (typeof sep === 'string') {
    console.log(`SEP: not compared (${sep})`);
  } else {
    const tally: Tally = {
      scores: sep.images.map((image, i) => scoreDetections(image.stars.map(([x, y]) => ({ x, y })), set[i]!.truth)),
      ms: sep.images.map((image) => image.ms),
    };
    console.log(`SEP ${sep.version} at ${SEP_THRESHOLD}σ (Python, cv2.imread grey): ${figures(tally)}`);
    console.log(`      of which its mesh background alone: ${meanMs(sep.images.map((image) => image.background_ms))}`);
    console.log(`native OpenCV SimpleBlobDetector, the seed's (one thread): ${meanMs(sep.images.map((image) => image.blob_ms))}`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
