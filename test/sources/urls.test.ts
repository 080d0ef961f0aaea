import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { parseUrlList, readUrlList, UrlListError } from '../../src/sources/urls.js';
import { tempDir } from '../helpers/fixtures.js';

test('one URL a line becomes one image, id line-N, named for its file', () => {
  assert.deepEqual(parseUrlList('https://sky.example/m31.jpg\nhttp://sky.example/deep/field/ngc-7000.png\n'), {
    images: [
      { id: 'line-1', name: 'm31.jpg', url: 'https://sky.example/m31.jpg' },
      { id: 'line-2', name: 'ngc-7000.png', url: 'http://sky.example/deep/field/ngc-7000.png' },
    ],
    skipped: [],
  });
});

test('blank lines, whole-line and trailing comments are ignored; whitespace is trimmed', () => {
  const list = [
    '# my favourite skies',
    '',
    '   https://sky.example/a.jpg   ',
    '\t',
    '  # indented comment',
    'https://sky.example/b.jpg # the Pleiades',
    'https://sky.example/c.jpg\t# tab before the comment',
  ].join('\n');
  const { images, skipped } = parseUrlList(list);
  assert.deepEqual(images.map((i) => [i.id, i.url]), [
    ['line-3', 'https://sky.example/a.jpg'],
    ['line-6', 'https://sky.example/b.jpg'],
    ['line-7', 'https://sky.example/c.jpg'],
  ]);
  assert.deepEqual(skipped, []);
});

test('a # inside a URL is its fragment, not a comment', () => {
  const { images } = parseUrlList('https://sky.example/a.jpg#x');
  assert.equal(images[0]?.url, 'https://sky.example/a.jpg#x');
});

test('Windows line endings and a byte-order mark are understood', () => {
  const { images } = parseUrlList('\uFEFFhttps://sky.example/a.jpg\r\n# note\r\nhttps://sky.example/b.jpg\r\n');
  assert.deepEqual(images.map((i) => [i.id, i.url]), [['line-1', 'https://sky.example/a.jpg'], ['line-3', 'https://sky.example/b.jpg']]);
});

test('only http and https are accepted; other lines are skipped naming their line', () => {
  const list = ['ftp://sky.example/a.jpg', 'file:///home/me/b.jpg', 'sky.example/c.jpg', 'https://sky.example/d.jpg e.jpg', 'https://sky.example/ok.jpg'];
  const { images, skipped } = parseUrlList(list.join('\n'));
  assert.deepEqual(images.map((i) => i.id), ['line-5']);
  assert.deepEqual(skipped, [
    { id: 'line-1', name: 'ftp://sky.example/a.jpg', reason: 'line 1: only http and https URLs can be downloaded, not ftp' },
    { id: 'line-2', name: 'file:///home/me/b.jpg', reason: 'line 2: only http and https URLs can be downloaded, not file' },
    { id: 'line-3', name: 'sky.example/c.jpg', reason: 'line 3: not a URL (write it in full, like https://example.com/sky.jpg)' },
    { id: 'line-4', name: 'https://sky.example/d.jpg e.jpg', reason: 'line 4: expected one URL, but the line has spaces in it' },
  ]);
});

test('a repeated URL is skipped as a duplicate of its first line, even written differently', () => {
  const list = ['https://sky.example/a.jpg', 'https://sky.example/b.jpg', 'https://sky.example/a.jpg', 'HTTPS://SKY.example/a.jpg'];
  const { images, skipped } = parseUrlList(list.join('\n'));
  assert.deepEqual(images.map((i) => i.id), ['line-1', 'line-2']);
  assert.deepEqual(skipped.map((s) => s.reason), ['line 3: duplicate of line 1', 'line 4: duplicate of line 1']);
});

test('the name is the last path segment decoded, else the host; the query is not part of it', () => {
  const list = [
    'https://sky.example/galaxies/M31%20core.jpg?size=large',
    'https://sky.example/galaxies/',
    'https://sky.example',
    'https://sky.example:8080/',
    'https://sky.example/bad%E0%A4%A.jpg',
  ];
  assert.deepEqual(parseUrlList(list.join('\n')).images.map((i) => i.name), [
    'M31 core.jpg',
    'galaxies',
    'sky.example',
    'sky.example:8080',
    'bad%E0%A4%A.jpg',
  ]);
});

test('a skipped line does not show a secret query parameter', () => {
  const { skipped } = parseUrlList('ftp://sky.example/a.jpg?token=hunter2');
  assert.equal(skipped[0]?.name, 'ftp://sky.example/a.jpg?token=***');
});

test('an empty list, or one of only comments, has nothing in it', () => {
  assert.deepEqual(parseUrlList(''), { images: [], skipped: [] });
  assert.deepEqual(parseUrlList('# nothing yet\n\n'), { images: [], skipped: [] });
});

test('a 10,000-line list parses well under a second', () => {
  const lines: string[] = [];
  for (let i = 0; i < 10_000; i++) lines.push(i % 10 === 0 ? `# batch ${i}` : `https://sky.example/field/${i}.jpg # n${i}`);
  const started = performance.now();
  const { images, skipped } = parseUrlList(lines.join('\n'));
  const ms = performance.now() - started;
  assert.equal(images.length, 9_000);
  assert.equal(skipped.length, 0);
  assert.equal(images.at(-1)?.id, 'line-10000');
  assert.ok(ms < 250, `took ${ms.toFixed(0)} ms`);
});

test("readUrlList('-') reads the list from the stdin stream", async () => {
  const stdin = Readable.from([Buffer.from('https://sky.example/a.jpg\n# c'), Buffer.from('omment\nhttps://sky.example/b.jpg\n')]);
  const { images } = await readUrlList('-', stdin);
  assert.deepEqual(images.map((i) => [i.id, i.url]), [['line-1', 'https://sky.example/a.jpg'], ['line-3', 'https://sky.example/b.jpg']]);
});

test('readUrlList reads a file', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'list.txt');
  await writeFile(file, 'https://sky.example/a.jpg\n');
  assert.deepEqual((await readUrlList(file)).images, [{ id: 'line-1', name: 'a.jpg', url: 'https://sky.example/a.jpg' }]);
});

test('a missing file or a folder is an E_USAGE error saying what to do', async (t) => {
  const dir = await tempDir(t);
  const missing = join(dir, 'nope.txt');
  await assert.rejects(readUrlList(missing), (error: unknown) => {
    assert.ok(error instanceof UrlListError);
    assert.equal(error.code, 'E_USAGE');
    assert.equal(error.message, `The URL list ${missing} does not exist. Check the path, or pass - to read the list from stdin.`);
    return true;
  });
  await mkdir(join(dir, 'folder'));
  await assert.rejects(readUrlList(join(dir, 'folder')), { code: 'E_USAGE', message: /is a folder; give a text file with one URL a line/ });
});
