import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { expandPaths } from '../../src/sources/local.js';
import { tempDir } from '../helpers/fixtures.js';

/** Makes empty files (and their folders) under `root`; expandPaths only looks at names. */
async function files(root: string, names: readonly string[]): Promise<void> {
  for (const name of names) {
    await mkdir(join(root, name, '..'), { recursive: true });
    await writeFile(join(root, name), '');
  }
}

test('a folder expands recursively into its images, in name order', async (t) => {
  const root = await tempDir(t);
  await files(root, ['b.png', 'a.jpg', 'sub/z.webp', 'sub/deeper/c.tif', 'c.gif', 'a2.jpeg']);
  assert.deepEqual(await expandPaths([root]), [
    { kind: 'image', path: join(root, 'a.jpg') },
    { kind: 'image', path: join(root, 'a2.jpeg') },
    { kind: 'image', path: join(root, 'b.png') },
    { kind: 'image', path: join(root, 'c.gif') },
    { kind: 'image', path: join(root, 'sub', 'deeper', 'c.tif') },
    { kind: 'image', path: join(root, 'sub', 'z.webp') },
  ]);
});

test('in a folder, only image extensions count, whatever their case', async (t) => {
  const root = await tempDir(t);
  await files(root, ['UPPER.JPG', 'Mixed.Png', 'photo.TIFF', 'notes.txt', 'README', 'data.json', 'jpg', '.hidden']);
  assert.deepEqual(await expandPaths([root]), [
    { kind: 'image', path: join(root, 'Mixed.Png') },
    { kind: 'image', path: join(root, 'UPPER.JPG') },
    { kind: 'image', path: join(root, 'photo.TIFF') },
  ]);
});

test('a file named explicitly is tried whatever its extension', async (t) => {
  const root = await tempDir(t);
  await files(root, ['scan.fits', 'no-extension']);
  const named = [join(root, 'scan.fits'), join(root, 'no-extension')];
  assert.deepEqual(await expandPaths(named), [
    { kind: 'image', path: named[0] },
    { kind: 'image', path: named[1] },
  ]);
});

test('inputs keep the order they were given in, folders expanded in place', async (t) => {
  const root = await tempDir(t);
  await files(root, ['z.png', 'dir/b.jpg', 'dir/a.jpg']);
  assert.deepEqual(await expandPaths([join(root, 'z.png'), join(root, 'dir')]), [
    { kind: 'image', path: join(root, 'z.png') },
    { kind: 'image', path: join(root, 'dir', 'a.jpg') },
    { kind: 'image', path: join(root, 'dir', 'b.jpg') },
  ]);
});

test('a path that does not exist becomes an E_READ entry of its own, and the rest go on', async (t) => {
  const root = await tempDir(t);
  await files(root, ['ok.png']);
  const missing = join(root, 'missing.jpg');
  assert.deepEqual(await expandPaths([missing, join(root, 'ok.png')]), [
    { kind: 'error', path: missing, error: { code: 'E_READ', message: `Cannot read ${missing}: it does not exist.` } },
    { kind: 'image', path: join(root, 'ok.png') },
  ]);
});

test('a dangling symbolic link is an E_READ entry that names the missing target', async (t) => {
  const root = await tempDir(t);
  const link = join(root, 'link.png');
  const target = join(root, 'gone.png');
  await symlink(target, link);
  assert.deepEqual(await expandPaths([link]), [
    {
      kind: 'error',
      path: link,
      error: { code: 'E_READ', message: `Cannot read ${link}: it is a broken symbolic link: its target ${target} does not exist.` },
    },
  ]);
});

test('a folder without images (even in subfolders) is an E_NO_IMAGES entry', async (t) => {
  const root = await tempDir(t);
  await files(root, ['docs/readme.txt', 'docs/inner/notes.md']);
  const docs = join(root, 'docs');
  const [entry, ...rest] = await expandPaths([docs]);
  assert.equal(rest.length, 0);
  assert.ok(entry?.kind === 'error', 'an error entry');
  assert.equal(entry.path, docs);
  assert.equal(entry.error.code, 'E_NO_IMAGES');
  assert.equal(
    entry.error.message,
    `No images in the folder ${docs} (looked for .jpg .jpeg .png .webp .tif .tiff .gif, in subfolders too).`,
  );
});

test('an empty folder is an E_NO_IMAGES entry too', async (t) => {
  const root = await tempDir(t);
  const empty = join(root, 'empty');
  await mkdir(empty);
  const entries = await expandPaths([empty]);
  assert.deepEqual(
    entries.map((e) => (e.kind === 'error' ? [e.path, e.error.code] : [e.path, e.kind])),
    [[empty, 'E_NO_IMAGES']],
  );
});
