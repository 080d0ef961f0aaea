import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeOutFolders } from '../../src/cli/out-folders.js';
import { tempDir } from '../helpers/fixtures.js';

/** Everything under `dir`, folders too, sorted. */
const listing = async (dir: string): Promise<string[]> => (await readdir(dir, { recursive: true })).sort();

test('a run that wrote nothing: the folders it made go, --out was not there and is not', async (t) => {
  const out = join(await tempDir(t), 'new', 'out');
  const folders = await makeOutFolders(out);
  assert.equal(existsSync(join(out, 'processed')), true);
  await mkdir(join(out, '.lock'));
  await folders.removeProcessedIfUnused(['.lock']);
  assert.equal(existsSync(join(out, 'processed')), false);
  await folders.removeOutIfUnused();
  assert.equal(existsSync(out), true, 'not while the lock is in it');
  await rmdir(join(out, '.lock'));
  await folders.removeOutIfUnused();
  assert.equal(existsSync(out), false);
  assert.equal(existsSync(join(out, '..')), true, 'only what it made: the parent made by mkdir -p stays');
});

test('an --out that was there, without processed/: processed/ goes, the rest stays as it was', async (t) => {
  const out = await tempDir(t);
  await writeFile(join(out, 'notes.txt'), 'mine');
  const folders = await makeOutFolders(out);
  await folders.removeProcessedIfUnused([]);
  await folders.removeOutIfUnused();
  assert.deepEqual(await listing(out), ['notes.txt']);
});

test('a run that wrote something keeps everything: a file in --out, or an image in processed/', async (t) => {
  const wrote = join(await tempDir(t), 'out');
  const folders = await makeOutFolders(wrote);
  await writeFile(join(wrote, 'run.jsonl'), '{}\n');
  await folders.removeProcessedIfUnused([]);
  await folders.removeOutIfUnused();
  assert.deepEqual(await listing(wrote), ['processed', 'run.jsonl']);

  const drew = join(await tempDir(t), 'out');
  const second = await makeOutFolders(drew);
  await writeFile(join(drew, 'processed', 'a.jpg'), 'x');
  await second.removeProcessedIfUnused([]);
  await second.removeOutIfUnused();
  assert.deepEqual(await listing(drew), ['processed', 'processed/a.jpg']);
});

test('processed/ that was there already is never removed, empty or not', async (t) => {
  const out = await tempDir(t);
  await mkdir(join(out, 'processed'));
  const folders = await makeOutFolders(out);
  await folders.removeProcessedIfUnused([]);
  await folders.removeOutIfUnused();
  assert.deepEqual(await listing(out), ['processed']);
});
