import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MANIFEST_FILE, parseManifest } from '../../src/download/manifest.js';
import { makeReadOnly, smallDisk } from '../helpers/small-disk.js';
import { withServer } from '../helpers/with-server.js';
import { failure, harness, imageBytes, tempDir } from './support.js';

/** The Downloader on disks that say no: a full tmpfs, a read-only one, a file in the folder's place. */

describe('Downloader: disk failures', () => {
  test('a full disk is E_DISK_FULL, not retried; the .part goes, earlier files and later downloads are intact', (t) =>
    withServer(async (server) => {
      const disk = await smallDisk(t, 256 * 1024);
      if (disk === undefined) return;
      const small = imageBytes('png', 40_000, 1);
      const other = imageBytes('jpeg', 40_000, 2);
      server.on('/small.png', (_req, res) => void res.end(small));
      server.on('/other.jpg', (_req, res) => void res.end(other));
      server.on('/huge.png', (_req, res) => void res.end(imageBytes('png', 1_000_000, 3)));
      const dir = join(disk, 'downloads');
      const h = harness({ dir, retries: 3 });
      const download = (path: string): ReturnType<typeof h.downloader.download> =>
        h.downloader.download({ id: path, url: `${server.url}${path}` }, h.onEvent);

      await download('/small.png');
      const error = await failure(download('/huge.png'));
      assert.deepEqual(
        { code: error.code, attempts: error.attempts, message: error.message },
        {
          code: 'E_DISK_FULL',
          attempts: 1,
          message: `Saving ${server.url}/huge.png in ${dir} failed: the disk is full (ENOSPC): free some space, or choose another folder with --out`,
        },
      );
      assert.deepEqual(h.delays, [], 'a full disk is not retried');
      // The removed .part gave its space back: the next download fits.
      await download('/other.jpg');
      assert.deepEqual((await readdir(dir)).sort(), [MANIFEST_FILE, 'other.jpg', 'small.png']);
      assert.deepEqual(await readFile(join(dir, 'small.png')), small);
      assert.deepEqual(await readFile(join(dir, 'other.jpg')), other);
      const manifest = parseManifest(await readFile(join(dir, MANIFEST_FILE), 'utf8'));
      assert.deepEqual([...manifest.keys()].sort(), [`${server.url}/other.jpg`, `${server.url}/small.png`]);
    }));

  test('a read-only downloads folder is E_WRITE saying so, not retried', (t) =>
    withServer(async (server) => {
      const disk = await smallDisk(t, 64 * 1024);
      if (disk === undefined) return;
      const dir = join(disk, 'downloads');
      await mkdir(dir);
      await makeReadOnly(disk);
      server.on('/a.png', (_req, res) => void res.end(imageBytes('png', 1000)));
      const h = harness({ dir });
      const error = await failure(h.downloader.download({ id: 'a', url: `${server.url}/a.png` }, h.onEvent));
      assert.equal(error.code, 'E_WRITE');
      assert.equal(error.attempts, 1);
      assert.equal(error.message, `Saving ${server.url}/a.png in ${dir} failed: the file system is read-only (EROFS): choose another folder with --out`);
      assert.deepEqual(server.requests, ['/a.png']);
      assert.deepEqual(await readdir(dir), []);
    }));

  test('a file where the downloads folder should be is E_WRITE naming the folder', async () => {
    const parent = await tempDir();
    const dir = join(parent, 'downloads');
    await writeFile(dir, 'not a folder');
    const h = harness({ dir });
    const error = await failure(h.downloader.download({ id: 'a', url: 'http://127.0.0.1:9/a.png' }, h.onEvent));
    assert.equal(error.code, 'E_WRITE');
    assert.equal(error.attempts, 0);
    assert.equal(error.message, `Cannot use the downloads folder ${dir}: a file is where a folder should be (EEXIST): move it, or choose another folder with --out`);
    assert.equal(await readFile(dir, 'utf8'), 'not a folder');
  });
});
