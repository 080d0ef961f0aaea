import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { JournalWriter, type JournalEntry, type JournalHeader } from '../../src/report/journal.js';
import { loadResume, resumeConflict, ResumeError, type RunIdentity } from '../../src/report/resume.js';
import { tempDir } from '../helpers/fixtures.js';

const RUN: RunIdentity = { command: 'demo', detector: { name: 'blob', params: { minArea: 10, filterByColor: true } } };
const HEADER: JournalHeader = { type: 'run', format: 1, version: '0.1.0', ...RUN, startedAt: '2026-01-01T00:00:00.000Z' };

describe('resumeConflict', () => {
  test('the same command, detector and parameters (in any order): none', () => {
    assert.equal(resumeConflict(RUN, { ...RUN, detector: { name: 'blob', params: { filterByColor: true, minArea: 10 } } }), undefined);
  });

  test('another command, detector, or parameter values: says which, both ways', () => {
    assert.equal(resumeConflict(RUN, { ...RUN, command: 'urls' }), 'that run was `stardash demo`, this one is `stardash urls`');
    assert.equal(
      resumeConflict(RUN, { ...RUN, detector: { name: 'sep' as 'blob', params: {} } }),
      'that run used --detector blob, this one --detector sep',
    );
    assert.equal(
      resumeConflict(RUN, { ...RUN, detector: { name: 'blob', params: { minArea: 5, filterByColor: false } } }),
      "the detector's parameters differ (filterByColor true there, false here; minArea 10 there, 5 here)",
    );
    assert.equal(
      resumeConflict(RUN, { ...RUN, detector: { name: 'blob', params: { minArea: 10, filterByColor: true, maxArea: 9 } } }),
      "the detector's parameters differ (maxArea unset there, 9 here)",
    );
  });
});

/** A journal in `out` with a done download `name` (its files written, `bytes` long) per entry. */
async function journalWith(out: string, names: string[], header = HEADER): Promise<JournalEntry[]> {
  await mkdir(join(out, 'downloads'), { recursive: true });
  await mkdir(join(out, 'processed'), { recursive: true });
  const entries = names.map((name, i): JournalEntry => ({
    type: 'done',
    key: `demo seed 1 /images/${name}`,
    id: `${i}`,
    file: join('downloads', name),
    download: { file: join('downloads', name), bytes: 3, attempts: 1, downloadMs: 5, fromManifest: false },
    result: {
      width: 10, height: 10, bytes: 3, keypoints: [], timings: { readMs: 0, decodeMs: 0, detectMs: 0, annotateMs: 0 },
      processed: join('processed', name), analysisMs: 1,
    },
  }));
  for (const name of names) {
    await writeFile(join(out, 'downloads', name), 'abc');
    await writeFile(join(out, 'processed', name), 'png');
  }
  await (await JournalWriter.start(out, header, entries)).close();
  return entries;
}

describe('loadResume', () => {
  test('no journal: found false, nothing restored', async (t) => {
    assert.deepEqual(await loadResume(await tempDir(t), RUN), { found: false, restored: new Map(), carried: [], stale: 0 });
  });

  test('entries whose files are all there are restored by key, under this --out', async (t) => {
    const out = await tempDir(t);
    const entries = await journalWith(out, ['0.jpg', '1.png']);
    const resume = await loadResume(out, RUN);
    assert.deepEqual([resume.found, resume.stale, resume.carried], [true, 0, entries]);
    assert.deepEqual([...resume.restored.keys()], ['demo seed 1 /images/0.jpg', 'demo seed 1 /images/1.png']);
    assert.equal(resume.restored.get('demo seed 1 /images/1.png')!.file, join(out, 'downloads', '1.png'));
  });

  test('an entry whose annotated image is gone, or whose download is gone or changed size, is redone', async (t) => {
    const out = await tempDir(t);
    const entries = await journalWith(out, ['0.jpg', '1.jpg', '2.jpg', '3.jpg']);
    await rm(join(out, 'processed', '0.jpg'));
    await rm(join(out, 'downloads', '1.jpg'));
    await writeFile(join(out, 'downloads', '2.jpg'), 'abcd');
    const resume = await loadResume(out, RUN);
    assert.deepEqual([resume.stale, resume.carried], [3, [entries[3]]]);
    assert.deepEqual([...resume.restored.keys()], ['demo seed 1 /images/3.jpg']);
  });

  test('a local entry is checked at its absolute path, its key', async (t) => {
    const out = await tempDir(t);
    const [entry] = await journalWith(out, ['a.png']);
    const input = join(out, 'input.png');
    const { download: _download, ...local } = entry!;
    await (await JournalWriter.start(out, HEADER, [{ ...local, key: input, file: 'input.png' }])).close();
    assert.equal((await loadResume(out, RUN)).restored.size, 0, 'the input is missing');
    await writeFile(input, 'xyz');
    assert.deepEqual([...(await loadResume(out, RUN)).restored.keys()], [input]);
  });

  test('a run made differently is refused with ResumeError', async (t) => {
    const out = await tempDir(t);
    await journalWith(out, ['0.jpg']);
    await assert.rejects(loadResume(out, { ...RUN, command: 'urls' }), (error: unknown) => {
      assert.ok(error instanceof ResumeError);
      assert.equal(error.code, 'E_RESUME_MISMATCH');
      assert.match(error.message, /^cannot resume the run in .*: that run was `stardash demo`, this one is `stardash urls`, and resuming would mix/);
      return true;
    });
  });
});
