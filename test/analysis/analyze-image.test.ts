import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeImage } from '../../src/analysis/analyze-image.js';
import { realsky } from '../helpers/fixtures.js';
import { fillDisk, makeReadOnly, smallDisk } from '../helpers/small-disk.js';

/** analyzeImage when the annotated image cannot be written: one line saying why, no partial file. */

const CLUSTER = realsky('eso_ngc2547_open_cluster.png');
const job = (processed: string) => ({ id: 'c', input: CLUSTER, processed, detector: { name: 'blob' } as const, maxPixels: 100_000_000 });

test('a full disk is E_DISK_FULL in one line saying what to do, with no .part left', async (t) => {
  const disk = await smallDisk(t, 64 * 1024);
  if (disk === undefined) return;
  await fillDisk(disk);
  const target = join(disk, 'cluster.png');
  const outcome = await analyzeImage(job(target));
  assert.deepEqual(outcome, {
    ok: false,
    id: 'c',
    error: {
      code: 'E_DISK_FULL',
      message: `Cannot write the annotated image ${target}: the disk is full (ENOSPC): free some space, or choose another folder with --out`,
    },
  });
  assert.deepEqual(await readdir(disk), ['filler']);
});

test('a read-only disk is E_WRITE naming EROFS', async (t) => {
  const disk = await smallDisk(t, 64 * 1024);
  if (disk === undefined) return;
  await makeReadOnly(disk);
  const target = join(disk, 'cluster.png');
  const outcome = await analyzeImage(job(target));
  assert.deepEqual(outcome, {
    ok: false,
    id: 'c',
    error: { code: 'E_WRITE', message: `Cannot write the annotated image ${target}: the file system is read-only (EROFS): choose another folder with --out` },
  });
});
