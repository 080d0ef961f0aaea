import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Manifest, MANIFEST_FILE, parseManifest, type ManifestEntry } from '../../src/download/manifest.js';
import { imageBytes, sha256, tempDir } from './support.js';

const entry = (file: string, bytes: Buffer): ManifestEntry => ({
  file,
  bytes: bytes.length,
  sha256: sha256(bytes),
  completedAt: '2024-05-01T12:00:00.000Z',
});

/** The manifest's line for `url` → `e`, with its line break: the file's format, spelled out. */
const line = (url: string, e: ManifestEntry): string => `${JSON.stringify({ url, ...e })}\n`;

const body = imageBytes('png', 100);

describe('Manifest', () => {
  test('loses no entry when many downloads finish at once; each set resolves once its line is on disk', async () => {
    const dir = await tempDir();
    const manifest = await Manifest.load(dir);
    const path = join(dir, MANIFEST_FILE);
    const urls = Array.from({ length: 40 }, (_, i) => `http://h.test/${i}.png`);
    const onDiskWhenResolved: boolean[] = [];
    await Promise.all(
      urls.map((url, i) =>
        manifest.set(url, entry(`${i}.png`, body)).then(() => {
          onDiskWhenResolved[i] = readFileSync(path, 'utf8').includes(line(url, entry(`${i}.png`, body)));
        }),
      ),
    );
    assert.deepEqual(onDiskWhenResolved, urls.map(() => true));
    assert.equal(await readFile(path, 'utf8'), urls.map((url, i) => line(url, entry(`${i}.png`, body))).join(''));
    assert.deepEqual(await readdir(dir), [MANIFEST_FILE], 'no temp file');
    const reloaded = await Manifest.load(dir);
    assert.deepEqual(urls.map((url) => reloaded.get(url)), urls.map((_, i) => entry(`${i}.png`, body)));
  });

  test('appends one line per entry and never rewrites what is there (no cost growing with the manifest)', async () => {
    const dir = await tempDir();
    const path = join(dir, MANIFEST_FILE);
    const manifest = await Manifest.load(dir);
    await manifest.set('http://h.test/0.png', entry('0.png', body));
    const inode = (await stat(path)).ino;
    // A line only the file has: rewriting the file from memory would drop it.
    const foreign = line('http://other.test/x.png', entry('x.png', body));
    await appendFile(path, foreign);
    let expected = line('http://h.test/0.png', entry('0.png', body)) + foreign;
    for (let i = 1; i <= 60; i++) {
      await manifest.set(`http://h.test/${i}.png`, entry(`${i}.png`, body));
      expected += line(`http://h.test/${i}.png`, entry(`${i}.png`, body));
      assert.equal(await readFile(path, 'utf8'), expected, `after set ${i}: the file is what it was plus one line`);
    }
    assert.equal((await stat(path)).ino, inode, 'the same file, appended to, not replaced');
    assert.equal(expected.split('\n').length - 1, 62);
  });

  test('ignores a torn last line, loads the rest, and compacts the file', async () => {
    const dir = await tempDir();
    const path = join(dir, MANIFEST_FILE);
    const a = line('http://h.test/a.png', entry('a.png', body));
    const b = line('http://h.test/b.png', entry('b.png', body));
    await writeFile(path, `${a}${b}${line('http://h.test/c.png', entry('c.png', body)).slice(0, 40)}`);
    const manifest = await Manifest.load(dir);
    assert.deepEqual(manifest.files(), ['a.png', 'b.png']);
    assert.equal(await readFile(path, 'utf8'), a + b, 'the torn line is gone');
    await manifest.set('http://h.test/c.png', entry('c.png', body));
    assert.deepEqual((await Manifest.load(dir)).files(), ['a.png', 'b.png', 'c.png']);
  });

  test('the last line for a URL wins, and loading keeps only it', async () => {
    const dir = await tempDir();
    const path = join(dir, MANIFEST_FILE);
    const manifest = await Manifest.load(dir);
    await manifest.set('http://h.test/a.png', entry('a.png', body));
    await manifest.set('http://h.test/b.png', entry('b.png', body));
    await manifest.set('http://h.test/a.png', entry('a2.png', body));
    assert.equal((await readFile(path, 'utf8')).split('\n').length - 1, 3);
    const reloaded = await Manifest.load(dir);
    assert.deepEqual(reloaded.get('http://h.test/a.png'), entry('a2.png', body));
    assert.equal(
      await readFile(path, 'utf8'),
      line('http://h.test/a.png', entry('a2.png', body)) + line('http://h.test/b.png', entry('b.png', body)),
    );
  });

  test('reuses the manifest.json of earlier versions, then replaces it', async () => {
    const dir = await tempDir();
    const old = imageBytes('jpeg', 3000);
    await writeFile(join(dir, 'old.jpg'), old);
    // As earlier versions wrote it: one object of every entry, pretty-printed.
    const oldManifest = {
      'http://h.test/old.jpg': entry('old.jpg', old),
      'http://h.test/both.png': entry('stale.png', body),
      'http://h.test/bad.png': { ...entry('x.png', body), file: '../x.png' },
    };
    await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(oldManifest, null, 2)}\n`);
    await writeFile(join(dir, MANIFEST_FILE), line('http://h.test/both.png', entry('both.png', body)));

    const manifest = await Manifest.load(dir);
    assert.deepEqual(await manifest.verified('http://h.test/old.jpg'), entry('old.jpg', old));
    assert.deepEqual(manifest.get('http://h.test/both.png'), entry('both.png', body), 'the newer file wins');
    assert.equal(manifest.get('http://h.test/bad.png'), undefined);
    assert.deepEqual((await readdir(dir)).sort(), [MANIFEST_FILE, 'old.jpg']);
    assert.equal(
      await readFile(join(dir, MANIFEST_FILE), 'utf8'),
      line('http://h.test/old.jpg', entry('old.jpg', old)) + line('http://h.test/both.png', entry('both.png', body)),
    );
  });

  test('verifies a listed file by size and SHA-256', async () => {
    const dir = await tempDir();
    const jpeg = imageBytes('jpeg', 5000);
    await writeFile(join(dir, 'a.jpg'), jpeg);
    const manifest = await Manifest.load(dir);
    await manifest.set('http://h.test/a.jpg', entry('a.jpg', jpeg));
    assert.deepEqual(await manifest.verified('http://h.test/a.jpg'), entry('a.jpg', jpeg));
    assert.deepEqual(await (await Manifest.load(dir)).verified('http://h.test/a.jpg'), entry('a.jpg', jpeg), 'next run');
    assert.equal(await manifest.verified('http://h.test/other.jpg'), undefined);

    const sameSize = Buffer.from(jpeg);
    sameSize[4000] = sameSize[4000]! ^ 0xff;
    await writeFile(join(dir, 'a.jpg'), sameSize);
    assert.equal(await manifest.verified('http://h.test/a.jpg'), undefined, 'same size, other bytes');
    await writeFile(join(dir, 'a.jpg'), jpeg.subarray(0, 4000));
    assert.equal(await manifest.verified('http://h.test/a.jpg'), undefined, 'shorter');
  });

  test('keys by the redacted URL, so no secret is written, not even one edited into the file', async () => {
    const dir = await tempDir();
    const path = join(dir, MANIFEST_FILE);
    const manifest = await Manifest.load(dir);
    await manifest.set('http://h.test/a.png?api_key=SECRET42', entry('a.png', body));
    assert.equal(await readFile(path, 'utf8'), line('http://h.test/a.png?api_key=***', entry('a.png', body)));
    assert.equal(manifest.get('http://h.test/a.png?api_key=SECRET42')?.file, 'a.png');

    await appendFile(path, line('http://h.test/b.png?token=SECRET43', entry('b.png', body)));
    const reloaded = await Manifest.load(dir);
    assert.equal(reloaded.get('http://h.test/b.png?token=other')?.file, 'b.png');
    assert.equal(
      await readFile(path, 'utf8'),
      line('http://h.test/a.png?api_key=***', entry('a.png', body)) + line('http://h.test/b.png?token=***', entry('b.png', body)),
    );
  });

  test('starts empty from a missing or broken manifest, and drops entries that point outside the folder', async () => {
    const dir = await tempDir();
    const path = join(dir, MANIFEST_FILE);
    assert.deepEqual((await Manifest.load(dir)).files(), []);
    assert.deepEqual(await readdir(dir), [], 'loading an empty folder writes nothing');
    await writeFile(path, '{ not json\n');
    assert.deepEqual((await Manifest.load(dir)).files(), []);
    const good = entry('ok.png', body);
    const lines = [
      line('http://a/1', good),
      line('http://a/2', { ...good, file: '../../etc/passwd' }),
      line('http://a/3', { ...good, file: '.hidden' }),
      line('http://a/4', { ...good, file: 'sub/x.png' }),
      `${JSON.stringify({ url: 'http://a/5', file: 3 })}\n`,
      `${JSON.stringify({ ...good })}\n`,
      '[1,2]\n',
      '\n',
    ];
    await writeFile(path, lines.join(''));
    assert.deepEqual((await Manifest.load(dir)).files(), ['ok.png']);
    assert.equal(await readFile(path, 'utf8'), line('http://a/1', good));
  });

  test('parseManifest: the entries of a manifest text, by URL', () => {
    const text = `${line('http://a/1', entry('1.png', body))}${line('http://a/2', entry('2.png', body))}{"url":"http://a/3"`;
    assert.deepEqual([...parseManifest(text)], [['http://a/1', entry('1.png', body)], ['http://a/2', entry('2.png', body)]]);
    assert.deepEqual([...parseManifest('')], []);
  });
});
