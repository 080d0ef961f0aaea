import { renameSync, writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import sharp from 'sharp';
import { diskProblem, errnoOf } from '../disk-errors.js';
import { drawKeypoints } from './annotate.js';
import { decodeImage, rgbToGray, type RgbImage } from './decode.js';
import { createDetector, type DetectorSpec, type Keypoint } from './detectors.js';
import { makeThumbnail, type Thumbnail } from './thumbnail.js';

/** One image to analyse: plain data, validated on the main thread and sent to a worker. */
export interface AnalysisJob {
  id: string;
  /** The image file to read. */
  input: string;
  /** Where the annotated image goes (.jpg or .png); written under a temporary name, then renamed. */
  processed: string;
  detector: DetectorSpec;
  /** Decompression-bomb guard. */
  maxPixels: number;
  /** Whether to make a thumbnail for the dashboard's preview (a run without one needs none). @default true */
  thumbnail?: boolean;
}

export interface AnalysisTimings {
  readMs: number;
  decodeMs: number;
  detectMs: number;
  annotateMs: number;
}

/** What analysing one image finds. */
export interface ImageAnalysis {
  width: number;
  height: number;
  /** Size of the image file. */
  bytes: number;
  keypoints: Keypoint[];
  /** For the dashboard's preview; left out when the job asks for none. */
  thumbnail?: Thumbnail;
  timings: AnalysisTimings;
}

export type AnalysisOutcome =
  | ({ ok: true; id: string } & ImageAnalysis)
  | { ok: false; id: string; error: { code: string; message: string } };

/**
 * Reads, decodes, detects, annotates and writes one image. Never throws: a failure comes back as
 * `{ok: false, error}` with a stable code, so that it crosses the worker boundary intact.
 */
export async function analyzeImage(job: AnalysisJob, now: () => number = performance.now.bind(performance)): Promise<AnalysisOutcome> {
  try {
    const t0 = now();
    const input = await readInput(job.input);
    const t1 = now();
    const image = await decodeImage(input, job.input, { maxPixels: job.maxPixels });
    const t2 = now();
    const gray = { data: rgbToGray(image), width: image.width, height: image.height };
    const keypoints = createDetector(job.detector).detect(gray);
    const t3 = now();
    await writeAnnotated(image, keypoints, job.processed);
    const t4 = now();
    return {
      ok: true,
      id: job.id,
      width: image.width,
      height: image.height,
      bytes: input.length,
      keypoints,
      ...(job.thumbnail === false ? {} : { thumbnail: makeThumbnail(gray, keypoints) }),
      timings: { readMs: t1 - t0, decodeMs: t2 - t1, detectMs: t3 - t2, annotateMs: t4 - t3 },
    };
  } catch (error) {
    return { ok: false, id: job.id, error: describeError(error) };
  }
}

async function readInput(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'unknown';
    throw Object.assign(new Error(`Cannot read ${path} (${code}): check that it exists and is readable.`, { cause }), {
      code: 'E_READ',
    });
  }
}

/**
 * Encodes after the target's extension, as JPEG (quality 90, standard Huffman tables: optimised ones
 * cost 3× the time for 2% of the size) or PNG (zlib level 1: 3× faster than level 6 and still
 * smaller than OpenCV's default PNG). Only a complete file gets the final name.
 */
async function writeAnnotated(image: RgbImage, keypoints: readonly Keypoint[], target: string): Promise<void> {
  const pixels = drawKeypoints(image, keypoints);
  const raw = sharp(pixels, { raw: { width: image.width, height: image.height, channels: 3 } });
  const encoded = /\.jpe?g$/i.test(target) ? raw.jpeg({ quality: 90, optimiseCoding: false }) : raw.png({ compressionLevel: 1 });
  const partial = `${target}.part`;
  try {
    const bytes = await encoded.toBuffer();
    // Written synchronously: once a stopped worker has exited, no write of it can still land, so
    // the stop can clear its partial files for good (an asynchronous write may finish later).
    writeFileSync(partial, bytes);
    renameSync(partial, target);
  } catch (cause) {
    await rm(partial, { force: true });
    // libvips reports a full disk over several lines and without an errno: name the problem instead.
    const firstLine = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0] ?? '';
    const problem = diskProblem(errnoOf(cause), firstLine);
    throw Object.assign(new Error(`Cannot write the annotated image ${target}: ${problem.reason}`, { cause }), { code: problem.code });
  }
}

function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'E_ANALYSIS', message: error.message };
  }
  return { code: 'E_ANALYSIS', message: String(error) };
}
