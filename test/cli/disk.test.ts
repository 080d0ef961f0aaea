import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { readReport, stardash } from '../helpers/cli.js';
import { filesUnder, realsky, tempDir } from '../helpers/fixtures.js';
import { fillDisk, makeReadOnly, smallDisk } from '../helpers/small-disk.js';
import { createTestServer, type TestServer } from '../helpers/with-server.js';
import { imageBytes } from '../download/support.js';

/**
 * `stardash urls` on disks that say no, end to end: a small tmpfs that fills up, one remounted
 * read-only, one already full when the report is due. A clear error, no partial file, nothing else lost.
 */

const SDSS = realsky('sdss_galaxy_field.jpg'); // 23 stars

/** A server with /galaxy.jpg and /other.jpg (real skies) and /huge.png (2 MB, never fits), and a list of them. */
async function skies(t: { after(fn: () => Promise<void>): void }, dir: string, paths: string[]): Promise<{ server: TestServer; list: string }> {
  const server = await createTestServer();
  t.after(() => server.close());
  const sdss = await readFile(SDSS);
  const huge = imageBytes('png', 2_000_000);
  server.on('/galaxy.jpg', (_req, res) => void res.end(sdss));
  server.on('/other.jpg', (_req, res) => void res.end(sdss));
  server.on('/huge.png', (_req, res) => void res.end(huge));
  const list = join(dir, 'list.txt');
  await writeFile(list, paths.map((p) => `${server.url}${p}`).join('\n'));
  return { server, list };
}

test('a disk that fills up: the image that does not fit is E_DISK_FULL, the others are done, no partial file', async (t) => {
  const disk = await smallDisk(t, 512 * 1024);
  if (disk === undefined) return;
  const { server, list } = await skies(t, await tempDir(t), ['/huge.png', '/galaxy.jpg', '/other.jpg']);
  const out = join(disk, 'out');
  // One download at a time: the huge one has failed and its .part is gone before the others start.
  const run = await stardash(['urls', list, '-o', out, '--no-tui', '-w', '1', '-c', '1']);
  const report = await readReport(out, run);
  const downloads = join(out, 'downloads');
  const message = `Saving ${server.url}/huge.png in ${downloads} failed: the disk is full (ENOSPC): free some space, or choose another folder with --out`;
  assert.deepEqual(
    report.images.map((i) => [i.id, i.status, i.errorCode ?? i.stars, i.error ?? i.file]),
    [
      ['line-1', 'failed', 'E_DISK_FULL', message],
      ['line-2', 'done', 23, 'downloads/galaxy.jpg'],
      ['line-3', 'done', 23, 'downloads/other.jpg'],
    ],
  );
  assert.equal(run.exitCode, 1);
  assert.equal(run.stderr, '');
  assert.ok(run.stdout.includes(`  E_DISK_FULL: ${message}\n`), run.stdout);
  assert.deepEqual(await filesUnder(out), [
    'downloads/galaxy.jpg', 'downloads/manifest.jsonl', 'downloads/other.jpg',
    'processed/galaxy.jpg', 'processed/other.jpg', 'report.csv', 'report.json', 'run.jsonl',
  ]);
  assert.deepEqual(await readFile(join(downloads, 'galaxy.jpg')), await readFile(SDSS));
});

test('an output folder on a read-only disk: exit 2 before any request, saying why', async (t) => {
  const disk = await smallDisk(t, 64 * 1024);
  if (disk === undefined) return;
  const { server, list } = await skies(t, await tempDir(t), ['/galaxy.jpg']);
  const out = join(disk, 'out');
  await mkdir(out);
  await makeReadOnly(disk);
  const run = await stardash(['urls', list, '-o', out, '--no-tui', '-w', '1']);
  assert.equal(run.exitCode, 2);
  assert.equal(run.stdout, '');
  assert.equal(run.stderr, `stardash: cannot use ${out} as the output folder (EROFS): give a folder that can be created and written with --out.`);
  assert.deepEqual(server.requests, []);
  assert.deepEqual(await filesUnder(disk), []);
});

test('a disk already full at the start: exit 2 before any request, saying the disk is full', async (t) => {
  const disk = await smallDisk(t, 64 * 1024);
  if (disk === undefined) return;
  const { server, list } = await skies(t, await tempDir(t), ['/galaxy.jpg']);
  const out = join(disk, 'out');
  await mkdir(join(out, 'processed'), { recursive: true });
  await mkdir(join(out, 'downloads'));
  await fillDisk(disk);
  const run = await stardash(['urls', list, '-o', out, '--no-tui', '-w', '1']);
  assert.equal(run.exitCode, 2);
  // The first thing a run writes is its lock on the folder (cli/out-lock.ts).
  assert.equal(run.stderr, `stardash: cannot write .stardash.lock in ${out}: the disk is full (ENOSPC): free some space, or choose another folder with --out.`);
  assert.deepEqual(server.requests, []);
  assert.deepEqual(await filesUnder(disk), ['filler']);
});
