import { rename, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { diskProblem, errnoOf, type DiskProblem } from '../disk-errors.js';
import { redactUrl } from '../secrets.js';
import type { Keypoint } from '../analysis/detectors.js';
import type { RunState, TaskState } from '../orchestrator/state.js';
import type { ReportKeypoints } from './report-keypoints.js';

/** One image's entry in report.json (spec/cli.md). */
export interface ReportImage {
  id: string;
  url?: string;
  file: string;
  processed?: string;
  status: 'done' | 'failed' | 'skipped';
  error?: string;
  errorCode?: string;
  width?: number;
  height?: number;
  stars?: number;
  /** x, y, size; the sky detector adds flux, peak, fwhm and saturated. */
  keypoints?: Keypoint[];
  bytes?: number;
  attempts?: number;
  downloadMs?: number;
  analysisMs?: number;
  /**
   * Demo skies: the true stars over 5σ, and how many of them the detector found (within 3 px).
   * `stars` = trueStarsFound + fainterStarsFound + falseStars.
   */
  trueStars?: number;
  trueStarsFound?: number;
  /** Stars that are true stars under 5σ (too faint to count in trueStars either way). */
  fainterStarsFound?: number;
  /** Stars that matched no true star: noise, hot pixels, cosmic rays, a star counted twice. */
  falseStars?: number;
}

export interface Report {
  tool: 'stardash';
  version: string;
  command: string;
  detector: { name: string; params: Readonly<Record<string, number | boolean>> };
  startedAt: string;
  finishedAt: string;
  interrupted: boolean;
  totals: { tasks: number; done: number; failed: number; skipped: number; stars: number };
  images: ReportImage[];
}

export interface ReportMeta {
  version: string;
  detectorParams: Readonly<Record<string, number | boolean>>;
  /** The output folder: downloaded files are reported relative to it (downloads/…). */
  out?: string;
}

/**
 * The report of a run: pure, from the final state and each done task's stars (the state keeps only
 * their count; see report-keypoints.ts). Unfinished tasks count as failed.
 */
export function buildReport(state: RunState, meta: ReportMeta, keypoints: ReportKeypoints): Report {
  const images = state.tasks.map((task) => reportImage(task, meta.out, keypoints));
  const count = (status: ReportImage['status']): number => images.filter((i) => i.status === status).length;
  return {
    tool: 'stardash',
    version: meta.version,
    command: state.command,
    detector: { name: state.detector, params: meta.detectorParams },
    startedAt: state.startedAt ?? '',
    finishedAt: state.finishedAt ?? '',
    interrupted: state.interrupted,
    totals: { tasks: images.length, done: count('done'), failed: count('failed'), skipped: count('skipped'), stars: state.stars },
    images,
  };
}

function reportImage(task: TaskState, out: string | undefined, keypoints: ReportKeypoints): ReportImage {
  const file = task.download && out !== undefined ? relative(out, task.file) : task.file;
  const d = task.download;
  const base = {
    id: task.id,
    // A URL the user listed may carry a token: the report keeps its place, never its value.
    ...(task.url ? { url: redactUrl(task.url) } : {}),
    file,
    ...(d ? { attempts: d.attempts, downloadMs: round(d.downloadMs) } : task.requests ? { attempts: task.requests } : {}),
  };
  if (task.status === 'done' && task.result) {
    const r = task.result;
    const stars = keypoints.get(task.id);
    // reportKeypoints has found every done task's: a missing one is a bug, not an empty sky.
    if (!stars) throw new Error(`buildReport: no keypoints given for done task ${task.id}`);
    return {
      ...base,
      ...(r.truth ? { trueStars: r.truth.stars, trueStarsFound: r.truth.found, fainterStarsFound: r.truth.faintFound, falseStars: r.truth.spurious } : {}),
      processed: r.processed,
      status: 'done',
      width: r.width,
      height: r.height,
      stars: stars.length,
      keypoints: stars.map(reportKeypoint),
      bytes: r.bytes,
      analysisMs: round(r.analysisMs),
    };
  }
  if (task.status === 'skipped') return { ...base, status: 'skipped', error: task.error?.message };
  const error = task.error ?? { code: 'E_UNFINISHED', message: 'The run ended before this task finished.' };
  return { ...base, status: 'failed', error: error.message, errorCode: error.code };
}

/** A keypoint as report.json lists it: x, y, size, then the sky detector's measurements if any. */
export function reportKeypoint(k: Keypoint): Keypoint {
  const { x, y, size, flux, peak, fwhm, saturated } = k;
  return {
    x, y, size,
    ...(flux === undefined ? {} : { flux }),
    ...(peak === undefined ? {} : { peak }),
    ...(fwhm === undefined ? {} : { fwhm }),
    ...(saturated === undefined ? {} : { saturated }),
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Columns added later go at the end, so that scripts reading by position keep working. */
const CSV_COLUMNS = [
  'id', 'status', 'file', 'processed', 'width', 'height', 'stars', 'bytes', 'analysisMs', 'error',
  'url', 'attempts', 'downloadMs', 'trueStars', 'trueStarsFound', 'fainterStarsFound', 'falseStars',
] as const;

/** report.csv: one row per image, RFC 4180 quoting. */
export function reportCsv(report: Report): string {
  const rows = report.images.map((image) => CSV_COLUMNS.map((column) => csvField(image[column])).join(','));
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** report.json or report.csv could not be written: code E_DISK_FULL or E_WRITE, a message saying what to do. */
export class ReportWriteError extends Error {
  override readonly name = 'ReportWriteError';
  constructor(
    readonly code: DiskProblem['code'],
    message: string,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Writes report.json and report.csv into `out`, each under a temporary name first, then renamed:
 * a failure (a full disk) leaves the earlier report whole and no temporary file. Rejects with a
 * ReportWriteError.
 */
export async function writeReport(out: string, report: Report): Promise<{ json: string; csv: string }> {
  const json = join(out, 'report.json');
  const csv = join(out, 'report.csv');
  await writeAtomically(json, JSON.stringify(report, null, 2) + '\n');
  await writeAtomically(csv, reportCsv(report));
  return { json, csv };
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const partial = `${path}.part`;
  try {
    await writeFile(partial, text);
    await rename(partial, path);
  } catch (cause) {
    await rm(partial, { force: true });
    const problem = diskProblem(errnoOf(cause), String(cause));
    throw new ReportWriteError(problem.code, `Cannot write the report ${path}: ${problem.reason}`, { cause });
  }
}
