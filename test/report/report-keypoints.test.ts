import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { starMask } from '../../src/analysis/star-mask.js';
import type { Keypoint } from '../../src/analysis/detectors.js';
import type { AnalysisResult, RunEvent } from '../../src/orchestrator/events.js';
import { initialRunState, reduceRun, type RunState } from '../../src/orchestrator/state.js';
import type { JournalEntry } from '../../src/report/journal.js';
import { KeypointsReadError, matchKeypoints, reportKeypoints } from '../../src/report/report-keypoints.js';

const stars = (n: number, at = 0): Keypoint[] => Array.from({ length: n }, (_, i) => ({ x: at + i, y: i, size: 3 }));

function result(processed: string, keypoints: Keypoint[]): AnalysisResult {
  return {
    width: 10,
    height: 8,
    bytes: 123,
    keypoints,
    thumbnail: { width: 2, height: 1, data: new Uint8Array(2), stars: starMask(2, 1, []) },
    timings: { readMs: 1, decodeMs: 2, detectMs: 3, annotateMs: 4 },
    processed,
    analysisMs: 10,
  };
}

function entry(id: string, key: string, analysis: AnalysisResult): JournalEntry {
  const { thumbnail: _thumbnail, ...rest } = analysis;
  return { type: 'done', key, id, file: `in/${key}`, result: rest };
}

/** Tasks 1 and 2 analysed in this run, 3 restored (the earlier run called it 1), 4 failed. */
const A = result('processed/a.png', stars(2));
const B = result('processed/b.png', stars(3, 10));
const C = result('processed/c.png', stars(1, 20));
function finishedRun(): RunState {
  const events: RunEvent[] = [
    { type: 'run-started', command: 'analyze', detector: 'blob', workers: 1, at: '2026-01-01T00:00:00.000Z' },
    { type: 'tasks-added', tasks: ['a', 'b', 'c', 'd'].map((key, i) => ({ id: `${i + 1}`, name: key, file: `in/${key}`, key })) },
    { type: 'analysis-done', id: '1', result: A },
    { type: 'analysis-done', id: '2', result: B },
    { type: 'task-restored', id: '3', file: 'in/c', result: C },
    { type: 'task-failed', id: '4', stage: 'analysis', error: { code: 'E_DECODE', message: 'bad' } },
  ];
  return events.reduce(reduceRun, initialRunState());
}

describe('matchKeypoints', () => {
  test('this run\'s tasks by id, restored ones by key from the carried entries, held stars first', () => {
    // The carried entry of c has the earlier run's id 1: it must not be taken for task 1.
    const entries = [entry('1', 'c', C), entry('1', 'a', A), entry('2', 'b', B)];
    const held = new Map([['2', stars(3, 10)]]);
    const { keypoints, missing } = matchKeypoints(finishedRun(), held, entries, 1);
    assert.deepEqual(Object.fromEntries(keypoints), { 1: A.keypoints, 2: stars(3, 10), 3: C.keypoints });
    assert.equal(keypoints.get('2'), held.get('2'), 'the held array itself');
    assert.deepEqual(missing, []);
  });

  test('an entry for another annotated image or another star count is not used: the task is missing', () => {
    const entries = [entry('1', 'c', result('processed/c.png', stars(2))), entry('1', 'a', result('processed/other.png', stars(2))), entry('2', 'b', B)];
    assert.deepEqual(matchKeypoints(finishedRun(), new Map(), entries, 1).missing, ['1', '3']);
  });

  test('a restored task is not matched to an entry of this run, nor a new one to a carried entry', () => {
    const entries = [entry('1', 'a', A), entry('2', 'b', B), entry('3', 'c', C)];
    assert.deepEqual(matchKeypoints(finishedRun(), new Map(), entries, 0).missing, ['3']);
    assert.deepEqual(matchKeypoints(finishedRun(), new Map(), entries, 3).missing, ['1', '2']);
  });
});

describe('reportKeypoints', () => {
  const entries = [entry('9', 'c', C), entry('1', 'a', A), entry('2', 'b', B)];

  test('reads the journal once when some stars are only there', async () => {
    const reads: string[] = [];
    const read = async (out: string) => (reads.push(out), { entries });
    const keypoints = await reportKeypoints(finishedRun(), { out: '/out', held: new Map(), carried: 1, read });
    assert.deepEqual(Object.fromEntries(keypoints), { 1: A.keypoints, 2: B.keypoints, 3: C.keypoints });
    assert.deepEqual(reads, ['/out']);
  });

  test('does not read the journal when every done task\'s stars are held', async () => {
    const held = new Map([['1', A.keypoints], ['2', B.keypoints], ['3', C.keypoints]]);
    const read = async () => assert.fail('the journal was read');
    assert.deepEqual(await reportKeypoints(finishedRun(), { out: '/out', held, carried: 1, read }), held);
  });

  test('a journal that cannot be read: E_JOURNAL_READ, how many images, and what to do', async () => {
    const held = new Map([['1', A.keypoints]]);
    const error = await reportKeypoints(finishedRun(), { out: '/out', held, carried: 1, read: async () => undefined }).catch((e: unknown) => e);
    assert.ok(error instanceof KeypointsReadError, String(error));
    assert.equal(error.code, 'E_JOURNAL_READ');
    assert.equal(error.missing, 2);
    assert.equal(error.message, 'cannot read /out/run.jsonl back for the stars of 2 image(s), so no report was written: the same command with --resume writes it, analysing again only the images run.jsonl lacks.');
  });

  test('a journal that lacks some: E_JOURNAL_READ naming them', async () => {
    const error = await reportKeypoints(finishedRun(), { out: '/out', held: new Map(), carried: 1, read: async () => ({ entries: entries.slice(0, 2) }) }).catch((e: unknown) => e);
    assert.ok(error instanceof KeypointsReadError, String(error));
    assert.equal(error.message, '/out/run.jsonl lacks the stars of 1 image(s) (2), so no report was written: the same command with --resume writes it, analysing again only the images run.jsonl lacks.');
  });
});
