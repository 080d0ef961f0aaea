import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalysisResult, RestoredTask } from '../../src/orchestrator/events.js';
import { restoredEvents } from '../../src/orchestrator/restore.js';

const result = (processed: string): AnalysisResult => ({
  width: 4, height: 2, bytes: 10, processed, analysisMs: 1,
  keypoints: [{ x: 1, y: 1, size: 2 }],
  thumbnail: { width: 4, height: 2, data: new Uint8Array(8), stars: new Uint8Array(4) },
  timings: { readMs: 0, decodeMs: 0, detectMs: 0, annotateMs: 0 },
});
const download = { file: '/out/downloads/a.jpg', bytes: 10, attempts: 1, downloadMs: 3, fromManifest: false };
const restored = new Map<string, RestoredTask>([
  ['http://x/a.jpg', { file: '/out/downloads/a.jpg', download, result: result('processed/a.jpg') }],
  ['/in/b.jpg', { file: '/old/place/b.jpg', result: result('processed/b.jpg') }],
]);
const tasks = [
  { id: '1', name: 'a', file: '', url: 'http://x/a.jpg', key: 'http://x/a.jpg' },
  { id: '2', name: 'b', file: '/in/b.jpg', key: '/in/b.jpg' },
  { id: '3', name: 'a again', file: '', url: 'http://x/a.jpg', key: 'http://x/a.jpg' },
  { id: '4', name: 'new', file: '/in/new.jpg', key: '/in/new.jpg' },
  { id: '5', name: 'no key', file: '/in/c.jpg' },
];

test('restoredEvents: a task whose key an earlier run finished, each key once; a download where it was put, a local input where it is now', () => {
  const events = restoredEvents(tasks, restored, true);
  assert.deepEqual(events.map((e) => [e.id, e.file, e.download?.file, e.result.processed]), [
    ['1', '/out/downloads/a.jpg', '/out/downloads/a.jpg', 'processed/a.jpg'],
    ['2', '/in/b.jpg', undefined, 'processed/b.jpg'],
  ]);
  assert.ok(events.every((e) => e.type === 'task-restored' && e.result.thumbnail !== undefined));
});

test('restoredEvents without thumbnails (no dashboard): the results keep none, the rest as it was', () => {
  const events = restoredEvents(tasks, restored, false);
  assert.deepEqual(events.map((e) => 'thumbnail' in e.result), [false, false]);
  const { thumbnail: _thumbnail, ...rest } = restored.get('http://x/a.jpg')!.result;
  assert.deepEqual(events[0]!.result, rest);
});
