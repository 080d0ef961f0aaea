/** Run states for the dashboard tests, folded from real events through the orchestrator's reducer. */
import { rgbToGray } from '../../src/analysis/decode.js';
import { starMask } from '../../src/analysis/star-mask.js';
import { makeThumbnail } from '../../src/analysis/thumbnail.js';
import type { AnalysisResult, RunEvent, TaskError } from '../../src/orchestrator/events.js';
import { renderSky, skyPlan } from '../../src/sources/demo/sky.js';
import { initialRunState, reduceRun, type RunState } from '../../src/orchestrator/state.js';

export const T0 = Date.parse('2025-03-01T12:00:00.000Z');
export const at = (ms: number): string => new Date(T0 + ms).toISOString();

export function fold(events: readonly RunEvent[], state: RunState = initialRunState()): RunState {
  return events.reduce(reduceRun, state);
}

/** A deterministic 0–1 generator. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 64×32 sky thumbnail of a `width × height` image with `stars` stars (and a faint band). */
export function skyResult(seed: number, stars: number, options: { truth?: boolean; width?: number; height?: number } = {}): AnalysisResult {
  const rnd = random(seed);
  const width = options.width ?? 2048;
  const height = options.height ?? 1024;
  const tw = 64;
  const th = 32;
  const data = new Uint8Array(tw * th);
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) data[y * tw + x] = Math.round(8 + rnd() * 10 + 14 * Math.exp(-(((y - x * 0.4 - 2) / 5) ** 2)));
  }
  const keypoints = [];
  const thumbStars = [];
  for (let i = 0; i < stars; i++) {
    const x = 2 + rnd() * (tw - 4);
    const y = 2 + rnd() * (th - 4);
    const bright = 120 + rnd() * 135;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const at = (Math.round(y) + dy) * tw + Math.round(x) + dx;
        const v = bright * (dx === 0 && dy === 0 ? 1 : 0.35);
        data[at] = Math.max(data[at] ?? 0, Math.round(v));
      }
    }
    const size = 3 + rnd() * 6;
    keypoints.push({ x: (x * width) / tw, y: (y * height) / th, size });
    thumbStars.push({ x, y });
  }
  const found = Math.max(0, stars - Math.floor(rnd() * 4));
  // The detections add up: the true stars over 5σ found, fainter ones, and one false when any is left.
  const spurious = Math.min(1, stars - found);
  return {
    width,
    height,
    bytes: 400_000 + Math.floor(rnd() * 3_000_000),
    keypoints,
    thumbnail: { width: tw, height: th, data, stars: starMask(tw, th, thumbStars) },
    timings: { readMs: 2, decodeMs: 40, detectMs: 120, annotateMs: 30 },
    processed: `processed/${seed}.jpg`,
    analysisMs: 120 + Math.floor(rnd() * 400),
    ...(options.truth === false ? {} : { truth: { stars: found + Math.floor(rnd() * 5), found, faintFound: stars - found - spurious, spurious } }),
  };
}

/**
 * The result for a real demo sky (seed 1, `index`): its thumbnail as the analysis makes it, and
 * the true stars above a peak of 40 standing in for the detected ones. Slow-ish (renders the sky).
 */
export function demoSkyResult(index: number): AnalysisResult {
  const plan = skyPlan(1, index);
  const gray = { data: rgbToGray({ data: renderSky(plan), width: plan.width, height: plan.height }), width: plan.width, height: plan.height };
  const keypoints = plan.stars.filter((s) => s.peak > 40).map((s) => ({ x: s.x, y: s.y, size: 4.7 * s.sigma }));
  return {
    width: plan.width,
    height: plan.height,
    bytes: 1_800_000,
    keypoints,
    thumbnail: makeThumbnail(gray, keypoints),
    timings: { readMs: 2, decodeMs: 40, detectMs: 220, annotateMs: 30 },
    processed: `processed/${index}.jpg`,
    analysisMs: 296,
    truth: { stars: keypoints.length + 9, found: keypoints.length, faintFound: 0, spurious: 0 },
  };
}

/** Events that take task `id` through download and analysis on `worker`. */
export function finish(id: string, worker: number, result: AnalysisResult, bytes = result.bytes): RunEvent[] {
  return [
    { type: 'download-started', id, attempt: 1 },
    { type: 'download-progress', id, transferred: bytes, total: bytes, bytesPerSecond: 2_000_000 },
    { type: 'download-done', id, download: { file: `downloads/${id}.jpg`, bytes, attempts: 1, downloadMs: 500, fromManifest: false } },
    { type: 'analysis-started', id, worker },
    { type: 'analysis-done', id, result },
    { type: 'worker-idle', worker },
  ];
}

export function started(workers: number, command = 'demo'): RunEvent {
  return { type: 'run-started', command, detector: 'blob', workers, at: at(0) };
}

export function added(names: readonly string[], prefix = 't'): RunEvent {
  return { type: 'tasks-added', tasks: names.map((name, i) => ({ id: `${prefix}${i}`, name, file: '', url: `http://127.0.0.1:40123/images/${i}.jpg` })) };
}

export const TITLES = [
  'The Andromeda Galaxy',
  'Orion Nebula in Infrared',
  'Pleiades Star Cluster',
  'Milky Way over the Desert',
  'Omega Centauri',
  'Solar Eclipse Timelapse (video)',
  'The Pillars of Creation',
  'Globular Cluster M13',
  'Rosette Nebula',
  'Double Cluster in Perseus',
  'The Coathanger Asterism',
  'Stars over Mauna Kea',
  'Carina Nebula Wide Field',
  'Hyades and Aldebaran',
  'The Beehive Cluster',
  'Southern Cross Starfield',
  'Lagoon and Trifid',
  'Magellanic Clouds',
  'Sagittarius Star Cloud',
  'Jewel Box Cluster',
  'Cygnus Wall',
  'Heart and Soul Nebulae',
  'North America Nebula',
  'Dark Sky over Namibia',
];

export const FAILURE: TaskError = { code: 'E_HTTP_STATUS', message: 'Request failed with status code 503 after 3 attempts: the server is busy; retry later.' };

/**
 * A demo run caught mid-way (24 images, 4 workers, 42 s in; with `realSky`, the latest finished
 * image is a real demo sky): 10 done, one failed, one skipped,
 * two analysing, one waiting for a worker, three downloading, one retrying, the rest queued.
 */
export function midRun(options: { paused?: boolean; realSky?: boolean } = {}): RunState {
  const events: RunEvent[] = [started(4), added(TITLES), { type: 'task-skipped', id: 't5', reason: 'media_type is video, not image' }];
  for (const i of [0, 1, 2, 3, 4, 6, 7, 9, 8, 10]) {
    const result = options.realSky && i === 10 ? demoSkyResult(7) : skyResult(i + 1, 12 + ((i * 37) % 90));
    events.push(...finish(`t${i}`, i % 4, result));
  }
  events.push(
    { type: 'download-started', id: 't11', attempt: 1 },
    { type: 'download-retrying', id: 't11', attempt: 2, delayMs: 2000, retryAt: at(30_000), error: { code: 'E_HTTP_STATUS', message: 'status 503' } },
    { type: 'download-started', id: 't11', attempt: 2 },
    { type: 'task-failed', id: 't11', stage: 'download', error: FAILURE },
  );
  events.push(...finish('t12', 1, skyResult(13, 64)).slice(0, 4), ...finish('t13', 2, skyResult(14, 20)).slice(0, 4));
  events.push(...finish('t14', 3, skyResult(15, 20)).slice(0, 3));
  events.push(
    { type: 'download-started', id: 't15', attempt: 1 },
    { type: 'download-progress', id: 't15', transferred: 1_300_000, total: 3_400_000, bytesPerSecond: 840_000 },
    { type: 'download-started', id: 't16', attempt: 1 },
    { type: 'download-progress', id: 't16', transferred: 250_000, total: 2_100_000, bytesPerSecond: 410_000 },
    { type: 'download-started', id: 't17', attempt: 1 },
    { type: 'download-progress', id: 't17', transferred: 90_000, bytesPerSecond: 120_000 },
    { type: 'download-started', id: 't18', attempt: 1 },
    { type: 'download-retrying', id: 't18', attempt: 2, delayMs: 1500, retryAt: at(43_200), error: { code: 'ECONNRESET', message: 'connection reset by the server' } },
  );
  if (options.paused) events.push({ type: 'run-paused' });
  return fold(events);
}

/** A run of `count` tasks named `image-00001.jpg`…, the first `done` of them finished. */
export function bigRun(count: number, done = 0): RunState {
  const names = Array.from({ length: count }, (_, i) => `image-${String(i).padStart(5, '0')}.jpg`);
  let state = fold([started(4, 'urls'), added(names)]);
  const events: RunEvent[] = [];
  for (let i = 0; i < done; i++) events.push(...finish(`t${i}`, i % 4, skyResult(i, 10 + (i % 50))));
  for (let i = done; i < done + 3 && i < count; i++) {
    events.push({ type: 'download-started', id: `t${i}`, attempt: 1 }, { type: 'download-progress', id: `t${i}`, transferred: 1000 * i, total: 1_000_000, bytesPerSecond: 500_000 });
  }
  state = fold(events, state);
  return state;
}

/** CPU histories for `n` cores: a gentle wave, newest last. */
export function cpuHistory(n: number, length = 40): { cores: number[][] } {
  return {
    cores: Array.from({ length: n }, (_, c) => Array.from({ length }, (_, t) => Math.min(1, Math.max(0, 0.55 + 0.4 * Math.sin((t + c * 3) / 4) * (c % 2 ? 0.8 : 1))))),
  };
}

export const NOW = T0 + 42_000;

// Strips ANSI escape sequences (colours and styles) from a frame.
export const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');
