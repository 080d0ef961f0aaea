import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { LineAppender } from '../src/append-lines.js';

const tempFile = async (): Promise<string> => join(await mkdtemp(join(tmpdir(), 'stardash-append-')), 'log.jsonl');

describe('LineAppender', () => {
  test('appends lines in order, creating the file', async () => {
    const path = await tempFile();
    const log = new LineAppender(path);
    await log.append('one');
    assert.equal(await readFile(path, 'utf8'), 'one\n');
    await log.append('two');
    assert.equal(await readFile(path, 'utf8'), 'one\ntwo\n');
  });

  test('lines appended together go out in one write, and resolve together', async () => {
    const path = await tempFile();
    const log = new LineAppender(path);
    const first = log.append('a');
    const second = log.append('b');
    assert.equal(first, second, 'one write for both');
    await first;
    assert.equal(await readFile(path, 'utf8'), 'a\nb\n');
    const third = log.append('c');
    assert.notEqual(third, first, 'a later line is a new write');
    await third;
    assert.equal(await readFile(path, 'utf8'), 'a\nb\nc\n');
  });

  test('lines appended while a write is under way all land, each on disk when its promise resolves', async () => {
    const path = await tempFile();
    const log = new LineAppender(path);
    const seen: string[] = [];
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 30; i++) {
      writes.push(log.append(`line ${i}`).then(async () => {
        const text = await readFile(path, 'utf8');
        if (text.includes(`line ${i}\n`)) seen.push(`line ${i}`);
      }));
      // Spread the lines over several writes: some arrive while one is in flight.
      if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(writes);
    const expected = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    assert.deepEqual(seen.sort(), [...expected].sort());
    assert.equal(await readFile(path, 'utf8'), expected.map((l) => `${l}\n`).join(''));
  });

  test('after a torn end, the first line starts on a line of its own', async () => {
    const path = await tempFile();
    await writeFile(path, 'whole\n{"torn');
    await new LineAppender(path, { startsMidLine: true }).append('next');
    assert.equal(await readFile(path, 'utf8'), 'whole\n{"torn\nnext\n');
  });

  test('a failed write rejects its lines, and later ones are still written, on a line of their own', async () => {
    const path = await tempFile();
    const log = new LineAppender(path);
    await mkdir(path);
    await assert.rejects(log.append('lost'), { code: 'EISDIR' });
    await rmdir(path);
    await log.append('kept');
    assert.equal(await readFile(path, 'utf8'), '\nkept\n');
  });
});
