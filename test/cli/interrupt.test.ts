import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import sharp from 'sharp';
import { MANIFEST_FILE, parseManifest } from '../../src/download/manifest.js';
import type { Report } from '../../src/report/report.js';
import { mulberry32 } from '../../src/sources/demo/sky.js';
import { BIN } from '../helpers/cli.js';
import { filesUnder, repoRoot, tempDir } from '../helpers/fixtures.js';

/**
 * `stardash demo` stopped by SIGINT or SIGTERM at many points: while it asks the API for the
 * listing, on the first analysis, and after a seeded-random number of events. Each time: exit 130
 * within 2 s, report.json valid with `interrupted: true`, no `.part` left, every file under its
 * final name complete (downloads match the manifest's SHA-256, annotated images decode and are
 * the report's done images).
 */

const COUNT = 12;

interface Point {
  signal: 'SIGINT' | 'SIGTERM';
  /** Send it once this many JSON event lines have been printed… */
  afterEvents?: number;
  /** …or once this event type is printed… */
  onEvent?: string;
  /** …or this long after the start (only while the API call is held back by --latency). */
  afterMs?: number;
  latency?: number;
}

async function interrupt(dir: string, point: Point) {
  const out = join(dir, 'out');
  const args = ['demo', '--count', String(COUNT), '--faults', '--bandwidth', '800', '--latency', String(point.latency ?? 0), '--json', '-w', '2', '-o', out];
  const child = execa(process.execPath, [BIN, ...args], { cwd: repoRoot, reject: false });
  let sentAt: number | undefined;
  const send = (): void => {
    if (sentAt !== undefined) return;
    sentAt = performance.now();
    child.kill(point.signal);
  };
  let lines = 0;
  child.stdout!.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      lines++;
      if (lines === point.afterEvents || (point.onEvent && line.includes(`"type":"${point.onEvent}"`))) send();
    }
  });
  const timer = point.afterMs === undefined ? undefined : setTimeout(send, point.afterMs);
  const run = await child;
  clearTimeout(timer);
  const stoppedMs = performance.now() - (sentAt ?? Number.NaN);
  return { out, run, stoppedMs, sent: sentAt !== undefined };
}

async function assertStoppedCleanly(out: string, result: Awaited<ReturnType<typeof interrupt>>, label: string): Promise<void> {
  const { run, stoppedMs, sent } = result;
  assert.ok(sent, `${label}: the signal was sent before the run ended`);
  assert.equal(run.exitCode, 130, `${label}: exit status; stderr:\n${run.stderr}`);
  assert.ok(stoppedMs < 2_000, `${label}: stopped ${Math.round(stoppedMs)} ms after the signal`);

  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
  assert.equal(report.interrupted, true, label);
  const files = await filesUnder(out);
  assert.deepEqual(files.filter((f) => f.endsWith('.part') || f.includes('.tmp')), [], `${label}: nothing half-written`);

  // Every download under its final name is complete: the manifest lists it with its size and hash.
  const downloads = files.filter((f) => f.startsWith('downloads/') && !f.endsWith(MANIFEST_FILE));
  const manifest = downloads.length ? parseManifest(await readFile(join(out, 'downloads', MANIFEST_FILE), 'utf8')) : new Map();
  const listed = new Map([...manifest.values()].map((e) => [`downloads/${e.file}`, e]));
  for (const file of downloads) {
    const entry = listed.get(file);
    assert.ok(entry, `${label}: ${file} is in the manifest`);
    const bytes = await readFile(join(out, file));
    assert.equal(bytes.length, entry.bytes, `${label}: ${file} size`);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), entry.sha256, `${label}: ${file} hash`);
  }

  // Every annotated image is a done image of the report, and decodes whole.
  const processed = files.filter((f) => f.startsWith('processed/')).sort();
  assert.deepEqual(processed, report.images.filter((i) => i.status === 'done').map((i) => i.processed).sort(), label);
  for (const file of processed) {
    // stats() decodes every pixel, and a truncated file fails it.
    await assert.doesNotReject(sharp(join(out, file), { failOn: 'truncated' }).stats(), `${label}: ${file} decodes`);
  }
  for (const image of report.images.filter((i) => i.status === 'failed')) {
    assert.ok(image.errorCode === 'E_INTERRUPTED' || image.errorCode === 'E_HTTP_404' || image.errorCode === 'E_NOT_AN_IMAGE', `${label}: ${image.id} ${image.errorCode}`);
  }
}

test('SIGINT while the API call is answered slowly: exit 130 at once, an interrupted report without tasks', async (t) => {
  const dir = await tempDir(t);
  const result = await interrupt(dir, { signal: 'SIGINT', latency: 3_000, afterMs: 800 });
  await assertStoppedCleanly(result.out, result, 'during the API call');
  const report = JSON.parse(await readFile(join(result.out, 'report.json'), 'utf8')) as Report;
  assert.equal(report.totals.tasks, 0);
});

test('SIGTERM on the first analysis: stops cleanly', async (t) => {
  const dir = await tempDir(t);
  const result = await interrupt(dir, { signal: 'SIGTERM', onEvent: 'analysis-started' });
  await assertStoppedCleanly(result.out, result, 'mid-analysis');
});

test('SIGINT or SIGTERM after a random number of events, 8 times: each stops cleanly', async (t) => {
  const random = mulberry32(2026);
  for (let i = 0; i < 8; i++) {
    const point: Point = { signal: i % 2 ? 'SIGTERM' : 'SIGINT', afterEvents: 1 + Math.floor(random() * 40) };
    const dir = await tempDir(t);
    const result = await interrupt(dir, point);
    await assertStoppedCleanly(result.out, result, `${point.signal} after ${point.afterEvents} events`);
  }
});
