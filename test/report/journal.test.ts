import assert from 'node:assert/strict';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { starMask } from '../../src/analysis/star-mask.js';
import type { AnalysisResult } from '../../src/orchestrator/events.js';
import { taskResult, type TaskState } from '../../src/orchestrator/state.js';
import { JOURNAL_FILE, JournalWriter, journalEntry, readJournal, restoredTask, type JournalEntry, type JournalHeader } from '../../src/report/journal.js';
import { tempDir } from '../helpers/fixtures.js';
import { smallDisk } from '../helpers/small-disk.js';

const HEADER: JournalHeader = {
  type: 'run',
  format: 1,
  version: '0.1.0',
  command: 'urls',
  detector: { name: 'blob', params: { minArea: 10 } },
  startedAt: '2026-01-01T00:00:00.000Z',
};

const RESULT: AnalysisResult = {
  width: 100,
  height: 50,
  bytes: 4321,
  keypoints: [{ x: 10.5, y: 20.25, size: 4.125 }],
  thumbnail: { width: 64, height: 32, data: new Uint8Array(64 * 32).fill(9), stars: starMask(64, 32, [{ x: 6.72, y: 12.96 }]) },
  timings: { readMs: 1, decodeMs: 2, detectMs: 3, annotateMs: 4 },
  processed: join('processed', 'sky.jpg'),
  analysisMs: 10,
  truth: { stars: 2, found: 1, faintFound: 0, spurious: 0 },
};

function doneTask(out: string): TaskState {
  return {
    id: 'line-1',
    name: 'sky.jpg',
    key: 'http://h/sky.jpg?token=***',
    url: 'http://h/sky.jpg?token=SECRET',
    file: join(out, 'downloads', 'sky.jpg'),
    status: 'done',
    download: { file: join(out, 'downloads', 'sky.jpg'), bytes: 4321, attempts: 2, downloadMs: 55, fromManifest: false },
    result: taskResult(RESULT),
  };
}

describe('journal entries', () => {
  test('a done download: key, id, paths relative to --out, the result without its thumbnail; never the URL', () => {
    const entry = journalEntry(doneTask('/runs/out'), RESULT, '/runs/out');
    const { thumbnail: _thumbnail, ...result } = RESULT;
    assert.deepEqual(entry, {
      type: 'done',
      key: 'http://h/sky.jpg?token=***',
      id: 'line-1',
      file: join('downloads', 'sky.jpg'),
      download: { file: join('downloads', 'sky.jpg'), bytes: 4321, attempts: 2, downloadMs: 55, fromManifest: false },
      result,
    });
    assert.ok(!JSON.stringify(entry).includes('SECRET'));
  });

  test('only done tasks with a key are journalled', () => {
    const task = doneTask('/out');
    assert.equal(journalEntry({ ...task, status: 'failed' }, RESULT, '/out'), undefined);
    const { key: _key, ...keyless } = task;
    assert.equal(journalEntry(keyless, RESULT, '/out'), undefined);
  });

  test('restoredTask puts a download back under the new --out and draws the stars on a black thumbnail', () => {
    const entry = journalEntry(doneTask('/old/out'), RESULT, '/old/out')!;
    const restored = restoredTask(entry, '/new/out');
    assert.equal(restored.file, join('/new/out', 'downloads', 'sky.jpg'));
    assert.deepEqual(restored.download, { ...entry.download, file: join('/new/out', 'downloads', 'sky.jpg') });
    assert.deepEqual(restored.result.thumbnail, { width: 64, height: 32, data: new Uint8Array(64 * 32), stars: starMask(64, 32, [{ x: 6.72, y: 12.96 }]) });
    const { thumbnail: _t, ...rest } = restored.result;
    assert.deepEqual(rest, entry.result);
  });

  test('restoredTask leaves out the truth of an earlier version, which did not say what the other detections matched', () => {
    const entry = journalEntry(doneTask('/out'), RESULT, '/out')!;
    const old = { ...entry, result: { ...entry.result, truth: { stars: 2, found: 1 } } } as JournalEntry;
    assert.equal(restoredTask(old, '/out').result.truth, undefined);
    assert.deepEqual(restoredTask(entry, '/out').result.truth, { stars: 2, found: 1, faintFound: 0, spurious: 0 });
  });

  test('a local input keeps its path', () => {
    const { download: _download, url: _url, ...task } = doneTask('/out');
    const entry = journalEntry({ ...task, file: 'skies/a.png', key: '/home/me/skies/a.png' }, RESULT, '/out')!;
    assert.equal(entry.file, 'skies/a.png');
    assert.deepEqual(restoredTask(entry, '/elsewhere').file, 'skies/a.png');
  });
});

describe('JournalWriter and readJournal', () => {
  test('the header, what is carried over, then each entry as it is appended; close says no error', async (t) => {
    const out = await tempDir(t);
    const carried = journalEntry(doneTask(out), RESULT, out)!;
    const writer = await JournalWriter.start(out, HEADER, [carried]);
    assert.deepEqual(await readJournal(out), { header: HEADER, entries: [carried] }, 'on disk before start resolves');
    const more = Array.from({ length: 5 }, (_, i): JournalEntry => ({ ...carried, id: `line-${i + 2}`, key: `k${i}` }));
    const written = await Promise.all(more.map((entry) => writer.append(entry)));
    assert.deepEqual(written, [true, true, true, true, true], 'each append resolves once its line is on disk');
    assert.equal(await writer.close(), undefined);
    assert.deepEqual(await readJournal(out), { header: HEADER, entries: [carried, ...more] });
    assert.equal(await writer.append({ ...carried, id: 'late' }), false);
    assert.equal(await writer.close(), undefined);
    assert.equal((await readJournal(out))!.entries.length, 6, 'nothing is appended after close');
  });

  test('a write the disk has no room for: close says so (ENOSPC), and the lines before it stay whole', async (t) => {
    const disk = await smallDisk(t, 64 * 1024);
    if (disk === undefined) return;
    const entry = journalEntry(doneTask(disk), RESULT, disk)!;
    const writer = await JournalWriter.start(disk, HEADER, [entry]);
    // The rest of the disk, filled up to its last page.
    await writeFile(join(disk, 'filler'), Buffer.alloc(1 << 20)).catch(() => undefined);
    assert.equal(await writer.append({ ...entry, id: 'no room', file: 'x'.repeat(8192) }), false, 'the append says it was not written');
    assert.equal((await writer.close())?.code, 'ENOSPC');
    assert.deepEqual((await readJournal(disk))?.entries.map((e) => e.id), [entry.id]);
  });

  test('starting a journal replaces the one there', async (t) => {
    const out = await tempDir(t);
    const entry = journalEntry(doneTask(out), RESULT, out)!;
    await (await JournalWriter.start(out, HEADER, [entry, entry])).close();
    await (await JournalWriter.start(out, { ...HEADER, command: 'demo' })).close();
    assert.deepEqual(await readJournal(out), { header: { ...HEADER, command: 'demo' }, entries: [] });
  });

  test('a torn last line (a kill mid-write) and lines that are not entries are left out', async (t) => {
    const out = await tempDir(t);
    const entry = journalEntry(doneTask(out), RESULT, out)!;
    await (await JournalWriter.start(out, HEADER, [entry])).close();
    const hostile = [
      { ...entry, result: { ...entry.result, processed: '../../etc/passwd' } },
      { ...entry, result: { ...entry.result, processed: 'processed/../x.png' } },
      { ...entry, download: { ...entry.download, file: '/etc/passwd' } },
      { ...entry, result: { ...entry.result, keypoints: [{ x: 'one' }] } },
      { ...entry, key: 7 },
      'text',
    ];
    await appendFile(join(out, JOURNAL_FILE), hostile.map((line) => `${JSON.stringify(line)}\n`).join('') + JSON.stringify(entry).slice(0, 40));
    assert.deepEqual(await readJournal(out), { header: HEADER, entries: [entry] });
  });

  test('no journal, or a first line that is not a journal header: undefined', async (t) => {
    const out = await tempDir(t);
    assert.equal(await readJournal(out), undefined);
    await writeFile(join(out, JOURNAL_FILE), `${JSON.stringify({ ...HEADER, format: 2 })}\n`);
    assert.equal(await readJournal(out), undefined);
    await writeFile(join(out, JOURNAL_FILE), 'not json\n');
    assert.equal(await readJournal(out), undefined);
  });

  test('a journal that cannot be written fails start (the run then refuses the folder)', async (t) => {
    const out = join(await tempDir(t), 'missing');
    await assert.rejects(JournalWriter.start(out, HEADER), { code: 'ENOENT' });
    await assert.rejects(readFile(join(out, JOURNAL_FILE)), { code: 'ENOENT' });
  });
});
