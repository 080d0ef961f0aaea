/**
 * The analysis worker thread: opencv-wasm and sharp load once per thread, then each call analyses
 * one image. The protocol is `analyze(job: AnalysisJob) => AnalysisOutcome` (analyze-image.ts).
 */
import sharp from 'sharp';
import { expose } from 'threads/worker';
import { analyzeImage, type AnalysisJob } from './analyze-image.js';
import { createDetector } from './detectors.js';
import { opencv, wasmHeapBreak } from './opencv.js';

opencv();
// Parallelism comes from one worker per core; libvips' own thread pool on top of it only contends.
sharp.concurrency(1);
// Every image is read once: libvips' operation cache would only hold memory (up to 50 MB) and files.
sharp.cache(false);
warmUp();

const api = {
  analyze: (job: AnalysisJob) => analyzeImage(job),
  /** This thread's memory: the wasm heap's break (where Mats live) and the JS heap. */
  memory: () => ({ wasmHeapBytes: wasmHeapBreak(opencv()), jsHeapBytes: process.memoryUsage().heapUsed }),
};

export type AnalysisWorkerApi = typeof api;

/**
 * Runs the detector once on a small made-up sky, so that the JIT has compiled its hot loops
 * before the first real image (a short run would otherwise spend its first images interpreted).
 */
function warmUp(): void {
  const size = 96;
  const data = new Uint8Array(size * size);
  for (let i = 0; i < data.length; i++) {
    const x = i % size;
    const y = Math.floor(i / size);
    const d2 = ((x % 24) - 12) ** 2 + ((y % 24) - 12) ** 2;
    data[i] = Math.min(255, Math.round(250 * Math.exp(-d2 / 8) + ((i * 7919) % 40)));
  }
  const detector = createDetector({ name: 'blob' });
  for (let round = 0; round < 20; round++) detector.detect({ data, width: size, height: size });
}

expose(api);
