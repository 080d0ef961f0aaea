/** Shared test material for the download tests: image bodies, folders, a recording sleep. */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { Downloader, type DownloaderOptions } from '../../src/download/downloader.js';
import { DownloadError } from '../../src/download/errors.js';
import type { DownloadEvent } from '../../src/download/types.js';

const SIGNATURES = {
  jpeg: [0xff, 0xd8, 0xff, 0xe0],
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  gif: [...Buffer.from('GIF89a')],
  webp: [...Buffer.from('RIFF'), 0x24, 0, 0, 0, ...Buffer.from('WEBPVP8 ')],
  tiff: [0x49, 0x49, 0x2a, 0x00],
} as const;

/** `size` bytes that start like an image of `kind`; the rest is a deterministic pattern. */
export function imageBytes(kind: keyof typeof SIGNATURES, size: number, seed = 1): Buffer {
  const body = Buffer.alloc(size);
  for (let i = 0; i < size; i++) body[i] = (i * 31 + seed * 17 + (i >> 8)) & 0xff;
  Buffer.from(SIGNATURES[kind]).copy(body);
  return body;
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'stardash-download-'));
}

/** Names in `dir` that are unfinished downloads. */
export async function partFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.part'));
}

export interface Harness {
  downloader: Downloader;
  /** Every delay the downloader asked to sleep, in order (sleeps resolve at once). */
  delays: number[];
  events: DownloadEvent[];
  onEvent: (event: DownloadEvent) => void;
}

/** A Downloader with an instant, recording sleep, `random()` = 0.5, and an event log. */
export function harness(options: DownloaderOptions): Harness {
  const delays: number[] = [];
  const events: DownloadEvent[] = [];
  const downloader = new Downloader({
    random: () => 0.5,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...options,
  });
  return { downloader, delays, events, onEvent: (event) => events.push(event) };
}

/** The event types in order, with progress events collapsed into one `progress` per run of them. */
export function eventTypes(events: readonly DownloadEvent[]): string[] {
  const types: string[] = [];
  for (const e of events) {
    const type = e.type === 'download-started' ? `started ${e.attempt}` : e.type === 'download-retrying' ? `retrying ${e.attempt} ${e.error.code}` : 'progress';
    if (type !== 'progress' || types.at(-1) !== 'progress') types.push(type);
  }
  return types;
}

/** The DownloadError a download rejects with; fails the test if it succeeds or rejects otherwise. */
export async function failure(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.then(
    () => assert.fail('the download succeeded'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DownloadError, String(error));
  return error;
}
