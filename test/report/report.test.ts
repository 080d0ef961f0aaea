import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { starMask } from '../../src/analysis/star-mask.js';
import type { AnalysisResult, RunEvent } from '../../src/orchestrator/events.js';
import { initialRunState, reduceRun, type RunState } from '../../src/orchestrator/state.js';
import { buildReport, reportCsv, reportKeypoint, ReportWriteError, writeReport, type Report } from '../../src/report/report.js';
import { tempDir } from '../helpers/fixtures.js';
import { fillDisk, smallDisk } from '../helpers/small-disk.js';

const META = { version: '9.8.7', detectorParams: { minArea: 10, filterByColor: true } } as const;

/** Keypoints as float32 values print: a report must carry them to the last digit. */
const KEYPOINTS = [
  { x: 450.5931396484375, y: 336.72857666015625, size: 5.374838352203369 },
  { x: 16.44645881652832, y: 319.289306640625, size: 4.608570098876953 },
];

function result(overrides: Partial<AnalysisResult> = {}): AnalysisResult {
  return {
    width: 496,
    height: 340,
    bytes: 11332,
    keypoints: KEYPOINTS,
    thumbnail: { width: 2, height: 1, data: new Uint8Array([0, 255]), stars: starMask(2, 1, []) },
    timings: { readMs: 1, decodeMs: 2, detectMs: 3, annotateMs: 4 },
    processed: 'processed/a.jpg',
    analysisMs: 40.56,
    ...overrides,
  };
}

/** The stars of interruptedRun's done tasks, by id, as reportKeypoints gathers them. */
const STARS = new Map([
  ['1', KEYPOINTS],
  ['2', [{ x: 1.5, y: 2.25, size: 3.125 }]],
]);

/** A run of five tasks: two done, one failed, one left queued and one left analysing by a Ctrl-C. */
function interruptedRun(): RunState {
  const events: RunEvent[] = [
    { type: 'run-started', command: 'analyze', detector: 'blob', workers: 2, at: '2025-01-01T00:00:00.000Z' },
    {
      type: 'tasks-added',
      tasks: ['a.jpg', 'b.png', 'c.jpg', 'd.jpg', 'e.jpg'].map((name, i) => ({ id: `${i + 1}`, name, file: `in/${name}` })),
    },
    { type: 'analysis-started', id: '1', worker: 0 },
    { type: 'analysis-started', id: '2', worker: 1 },
    { type: 'analysis-done', id: '1', result: result() },
    { type: 'analysis-done', id: '2', result: result({ keypoints: [{ x: 1.5, y: 2.25, size: 3.125 }], processed: 'processed/b.png' }) },
    { type: 'task-failed', id: '3', stage: 'analysis', error: { code: 'E_DECODE', message: 'in/c.jpg could not be decoded: premature end.' } },
    { type: 'analysis-started', id: '4', worker: 0 },
    { type: 'run-finished', at: '2025-01-01T00:00:05.000Z', interrupted: true },
  ];
  return events.reduce(reduceRun, initialRunState());
}

describe('buildReport', () => {
  const report = buildReport(interruptedRun(), META, STARS);

  test('names the tool, version, command, detector and the run times', () => {
    const { images: _images, totals: _totals, ...head } = report;
    assert.deepEqual(head, {
      tool: 'stardash',
      version: '9.8.7',
      command: 'analyze',
      detector: { name: 'blob', params: { minArea: 10, filterByColor: true } },
      startedAt: '2025-01-01T00:00:00.000Z',
      finishedAt: '2025-01-01T00:00:05.000Z',
      interrupted: true,
    });
  });

  test('a failed download reports how many requests were made, across retries', () => {
    const events: RunEvent[] = [
      { type: 'run-started', command: 'urls', detector: 'blob', workers: 1, at: '2025-01-01T00:00:00.000Z' },
      { type: 'tasks-added', tasks: [{ id: 'u', name: 'u.jpg', file: '', url: 'http://h/u.jpg' }] },
      { type: 'download-started', id: 'u', attempt: 1 },
      { type: 'download-started', id: 'u', attempt: 2 },
      { type: 'task-failed', id: 'u', stage: 'download', error: { code: 'E_HTTP_503', message: 'GET http://h/u.jpg answered HTTP 503' } },
      { type: 'task-retry', id: 'u' },
      { type: 'download-started', id: 'u', attempt: 1 },
      { type: 'task-failed', id: 'u', stage: 'download', error: { code: 'E_HTTP_503', message: 'GET http://h/u.jpg answered HTTP 503' } },
    ];
    const image = buildReport(events.reduce(reduceRun, initialRunState()), META, new Map()).images[0]!;
    assert.equal(image.status, 'failed');
    assert.equal(image.attempts, 3);
  });

  test('totals count every task, unfinished ones as failed, and add up the stars', () => {
    assert.deepEqual(report.totals, { tasks: 5, done: 2, failed: 3, skipped: 0, stars: 3 });
  });

  test('a done image has its size, stars, unrounded keypoints and no thumbnail', () => {
    assert.deepEqual(report.images[0], {
      id: '1',
      file: 'in/a.jpg',
      processed: 'processed/a.jpg',
      status: 'done',
      width: 496,
      height: 340,
      stars: 2,
      keypoints: KEYPOINTS,
      bytes: 11332,
      analysisMs: 40.6,
    });
    assert.deepEqual(report.images[1]?.keypoints, [{ x: 1.5, y: 2.25, size: 3.125 }]);
  });

  test('a failed image has the error message and its code', () => {
    assert.deepEqual(report.images[2], {
      id: '3',
      file: 'in/c.jpg',
      status: 'failed',
      error: 'in/c.jpg could not be decoded: premature end.',
      errorCode: 'E_DECODE',
    });
  });

  test('queued and running tasks at the end are failed with E_UNFINISHED', () => {
    for (const image of report.images.slice(3)) {
      assert.deepEqual(
        { status: image.status, errorCode: image.errorCode, error: image.error },
        { status: 'failed', errorCode: 'E_UNFINISHED', error: 'The run ended before this task finished.' },
      );
    }
    assert.deepEqual(report.images.map((i) => i.id), ['1', '2', '3', '4', '5']);
  });

  test('takes the keypoints given for each done task; a done task without them is a bug it says', () => {
    const other = [{ x: 7, y: 8, size: 9 }];
    assert.deepEqual(buildReport(interruptedRun(), META, new Map([...STARS, ['2', other]])).images[1]?.keypoints, other);
    assert.throws(() => buildReport(interruptedRun(), META, new Map([['1', KEYPOINTS]])), { message: 'buildReport: no keypoints given for done task 2' });
  });

  test('survives JSON: what is written is what was built', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
  });
});

describe('reportCsv', () => {
  const base: Report = buildReport(interruptedRun(), META, STARS);

  test('has a header and one CRLF-ended row per image, blank where a field does not apply', () => {
    const lines = reportCsv(base).split('\r\n');
    assert.deepEqual(lines, [
      'id,status,file,processed,width,height,stars,bytes,analysisMs,error,url,attempts,downloadMs,trueStars,trueStarsFound,fainterStarsFound,falseStars',
      '1,done,in/a.jpg,processed/a.jpg,496,340,2,11332,40.6,,,,,,,,',
      '2,done,in/b.png,processed/b.png,496,340,1,11332,40.6,,,,,,,,',
      '3,failed,in/c.jpg,,,,,,,in/c.jpg could not be decoded: premature end.,,,,,,,',
      '4,failed,in/d.jpg,,,,,,,The run ended before this task finished.,,,,,,,',
      '5,failed,in/e.jpg,,,,,,,The run ended before this task finished.,,,,,,,',
      '',
    ]);
  });

  test('quotes fields with commas, quotes or line breaks, doubling the quotes', () => {
    const report: Report = {
      ...base,
      images: [
        { id: '1', file: 'in/a,b.jpg', status: 'failed', error: 'say "cheese"' },
        { id: '2', file: 'in/plain.jpg', status: 'failed', error: 'line one\nline two' },
        { id: '3', file: 'in/cr.jpg', status: 'failed', error: 'carriage\rreturn' },
      ],
    };
    assert.equal(
      reportCsv(report),
      [
        'id,status,file,processed,width,height,stars,bytes,analysisMs,error,url,attempts,downloadMs,trueStars,trueStarsFound,fainterStarsFound,falseStars',
        '1,failed,"in/a,b.jpg",,,,,,,"say ""cheese""",,,,,,,',
        '2,failed,in/plain.jpg,,,,,,,"line one\nline two",,,,,,,',
        '3,failed,in/cr.jpg,,,,,,,"carriage\rreturn",,,,,,,',
        '',
      ].join('\r\n'),
    );
  });
});

describe('writeReport', () => {
  test('writes report.json and report.csv and leaves no .part file', async (t) => {
    const out = await tempDir(t);
    const report = buildReport(interruptedRun(), META, STARS);
    const written = await writeReport(out, report);
    assert.deepEqual(written, { json: join(out, 'report.json'), csv: join(out, 'report.csv') });
    assert.deepEqual((await readdir(out)).sort(), ['report.csv', 'report.json']);
    assert.deepEqual(JSON.parse(await readFile(written.json, 'utf8')), report);
    assert.equal(await readFile(written.csv, 'utf8'), reportCsv(report));
  });

  test('replaces an earlier report whole', async (t) => {
    const out = await tempDir(t);
    await writeFile(join(out, 'report.json'), 'x'.repeat(100_000));
    const report = buildReport(interruptedRun(), META, STARS);
    await writeReport(out, report);
    assert.deepEqual(JSON.parse(await readFile(join(out, 'report.json'), 'utf8')), report);
    assert.deepEqual((await readdir(out)).sort(), ['report.csv', 'report.json']);
  });

  test('on a full disk: E_DISK_FULL saying what to do, the earlier report whole, no .part file', async (t) => {
    const disk = await smallDisk(t, 64 * 1024);
    if (disk === undefined) return;
    const earlier = '{"earlier":true}\n';
    await writeFile(join(disk, 'report.json'), earlier);
    await fillDisk(disk);
    const error = await writeReport(disk, buildReport(interruptedRun(), META, STARS)).then(
      () => assert.fail('the report was written to a full disk'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ReportWriteError, String(error));
    assert.equal(error.code, 'E_DISK_FULL');
    assert.equal(error.message, `Cannot write the report ${join(disk, 'report.json')}: the disk is full (ENOSPC): free some space, or choose another folder with --out`);
    assert.equal(await readFile(join(disk, 'report.json'), 'utf8'), earlier);
    assert.deepEqual((await readdir(disk)).sort(), ['filler', 'report.json']);
  });
});

test('report keypoints: blob\'s x, y, size only; the sky detector\'s measurements after them', () => {
  assert.deepEqual(Object.keys(reportKeypoint({ x: 1, y: 2, size: 3 })), ['x', 'y', 'size']);
  const sky = { saturated: false, fwhm: 2.5, x: 1, y: 2, size: 5, peak: 40, flux: 300 };
  assert.deepEqual(reportKeypoint(sky), sky);
  assert.deepEqual(Object.keys(reportKeypoint(sky)), ['x', 'y', 'size', 'flux', 'peak', 'fwhm', 'saturated']);
});
