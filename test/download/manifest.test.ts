import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Manifest, MANIFEST_FILE, type ManifestEntry } from '../../src/download/manifest.js';
import { imageBytes, sha256, tempDir } from './support.js';

const entry = (file: string, bytes: Buffer): ManifestEntry => ({
  file,
  bytes: bytes.length,
  sha256: sha256(bytes),
  completedAt: '2024-05-01T12:00:00.000Z',
});

describe('Manifest', () => {
  test('loses no entry when many downloads finish at once, and leaves no temp file', async () => {
    const dir = await tempDir();
    const manifest = await Manifest.load(dir);
    const body = imageBytes('png', 100);
    await Promise.all(Array.from({ length: 40 }, (_, i) => manifest.set(`http://h.test/${i}.png`, entry(`${i}.png`, body))));
    const onDisk = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Record<string, ManifestEntry>;
    assert.equal(Object.keys(onDisk).length, 40);
    assert.deepEqual(onDisk['http://h.test/39.png'], entry('39.png', body));
    assert.deepEqual(await readdir(dir), [MANIFEST_FILE]);
    const reloaded = await Manifest.load(dir);
    assert.deepEqual(reloaded.get('http://h.test/7.png'), entry('7.png', body));
  });

  test('verifies a listed file by size and SHA-256', async () => {
    const dir = await tempDir();
    const body = imageBytes('jpeg', 5000);
    await writeFile(join(dir, 'a.jpg'), body);
    const manifest = await Manifest.load(dir);
    await manifest.set('http://h.test/a.jpg', entry('a.jpg', body));
    assert.deepEqual(await manifest.verified('http://h.test/a.jpg'), entry('a.jpg', body));
    assert.equal(await manifest.verified('http://h.test/other.jpg'), undefined);

    const sameSize = Buffer.from(body);
    sameSize[4000] = sameSize[4000]! ^ 0xff;
    await writeFile(join(dir, 'a.jpg'), sameSize);
    assert.equal(await manifest.verified('http://h.test/a.jpg'), undefined, 'same size, other bytes');
    await writeFile(join(dir, 'a.jpg'), body.subarray(0, 4000));
    assert.equal(await manifest.verified('http://h.test/a.jpg'), undefined, 'shorter');
  });

  test('keys by the redacted URL, so no secret is written', async () => {
    const dir = await tempDir();
    const manifest = await Manifest.load(dir);
    await manifest.set('http://h.test/a.png?api_key=SECRET42', entry('a.png', imageBytes('png', 10)));
    const text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
    assert.ok(!text.includes('SECRET42'));
    assert.ok(text.includes('"http://h.test/a.png?api_key=***"'));
    assert.equal(manifest.get('http://h.test/a.png?api_key=SECRET42')?.file, 'a.png');
  });

  test('starts empty from a missing or broken manifest, and drops entries that point outside the folder', async () => {
    const dir = await tempDir();
    assert.deepEqual((await Manifest.load(dir)).files(), []);
    await writeFile(join(dir, MANIFEST_FILE), '{ not json');
    assert.deepEqual((await Manifest.load(dir)).files(), []);
    const good = entry('ok.png', imageBytes('png', 10));
    await writeFile(
      join(dir, MANIFEST_FILE),
      JSON.stringify({ 'http://a/1': good, 'http://a/2': { ...good, file: '../../etc/passwd' }, 'http://a/3': { ...good, file: '.hidden' }, 'http://a/4': { file: 3 } }),
    );
    assert.deepEqual((await Manifest.load(dir)).files(), ['ok.png']);
  });
});
