/**
 * The analysis worker thread: opencv-wasm and sharp load once per thread, then each call analyses
 * one image. The protocol is `analyze(job: AnalysisJob) => AnalysisOutcome` (analyze-image.ts).
 */
import { expose } from 'threads/worker';
import { analyzeImage, type AnalysisJob } from './analyze-image.js';
import { opencv, wasmHeapBreak } from './opencv.js';

opencv();

const api = {
  analyze: (job: AnalysisJob) => analyzeImage(job),
  /** This thread's memory: the wasm heap's break (where Mats live) and the JS heap. */
  memory: () => ({ wasmHeapBytes: wasmHeapBreak(opencv()), jsHeapBytes: process.memoryUsage().heapUsed }),
};

export type AnalysisWorkerApi = typeof api;

expose(api);
