import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import { Summary } from '../../src/ui/components/Summary.js';
import { E_INTERRUPTED, type RunEvent } from '../../src/orchestrator/events.js';
import { summaryLines } from '../../src/ui/summary.js';
import { FAILURE, NOW, T0, at, fold, midRun, skyResult, stripAnsi } from './runs.js';

after(cleanup);

const finished = (interrupted = false) => fold([{ type: 'run-finished', at: at(NOW - T0 + 30_000), interrupted }], midRun());
const plain = (lines: ReturnType<typeof summaryLines>): string[] => lines.map((segments) => segments.map((s) => s.text).join(''));

describe('summary', () => {
  test('totals, stars, failures and skips with reasons, and where the outputs are', () => {
    const lines = plain(summaryLines(finished(), { now: NOW, reportPath: 'out/report.json', outDir: 'out' }));
    assert.equal(lines[0], '✦ stardash demo finished in 1m 12s');
    assert.match(lines[1]!, /24 tasks: 10 done · 1 failed · 1 skipped · 12 not finished/);
    const state = finished();
    assert.match(lines[2]!, new RegExp(`^  ✦ ${state.stars} stars in 10 images · .* downloaded$`));
    const truths = state.tasks.flatMap((task) => (task.result?.truth ? [task.result.truth] : []));
    const sum = (pick: (t: (typeof truths)[number]) => number): number => truths.reduce((a, t) => a + pick(t), 0);
    const [found, stars, fainter, spurious] = [sum((t) => t.found), sum((t) => t.stars), sum((t) => t.faintFound), sum((t) => t.spurious)];
    assert.equal(found + fainter + spurious, state.stars, 'the line adds up to the stars above it');
    assert.ok(fainter > 0 && spurious > 0 && found < stars, 'every part of the line is tried');
    assert.equal(lines[3], `    = ${found} of ${stars} true stars over 5σ (${Math.round((found / stars) * 100)}%) + ${fainter} fainter + ${spurious} false`);
    assert.ok(lines.includes('Failed (1):'));
    const failed = lines.indexOf(`  ✗ Stars over Mauna Kea  ${FAILURE.code}`);
    assert.ok(failed > 0, lines.join('\n'));
    assert.equal(lines[failed + 1], `      ${FAILURE.message}`);
    assert.ok(lines.includes('Skipped (1):'));
    const skipped = lines.indexOf('  – Solar Eclipse Timelapse (video)  SKIPPED');
    assert.equal(lines[skipped + 1], '      media_type is video, not image');
    assert.ok(lines.includes('Report     out/report.json'));
    assert.ok(lines.includes('Processed  out/processed/'));
  });

  test('a report that could not be written: the summary says so, in place of its path', () => {
    const lines = plain(summaryLines(finished(), { now: NOW, reportPath: undefined, outDir: 'out' }));
    assert.ok(lines.includes('Report     not written (the error follows)'), lines.join('\n'));
    assert.ok(lines.includes('Processed  out/processed/'));
  });

  test('an interrupted run says so; long failure lists are cut short', () => {
    const lines = plain(summaryLines(finished(true), { now: NOW, reportPath: 'r', outDir: 'o', maxListed: 0 }));
    assert.match(lines[0]!, /interrupted after 1m 12s/);
    assert.ok(lines.includes('  …and 1 more (see the report)'));
  });

  test('tasks a stop cut short are counted apart, not listed as failures', () => {
    const stopped = ['t19', 't20', 't21'].map((id): RunEvent => ({ type: 'task-failed', id, stage: 'download', error: { code: E_INTERRUPTED, message: 'interrupted' } }));
    const state = fold([...stopped, { type: 'run-finished', at: at(NOW - T0), interrupted: true }], midRun());
    const lines = plain(summaryLines(state, { now: NOW, reportPath: 'r', outDir: 'o' }));
    assert.equal(lines[1], '  24 tasks: 10 done · 1 failed · 1 skipped · 3 stopped unfinished · 9 not finished');
    assert.ok(lines.includes('Failed (1):'));
    assert.equal(lines.filter((line) => line.includes(E_INTERRUPTED)).length, 0);
  });

  test('notices (the --out lock lost) stay in the summary, each on a line after the totals', () => {
    const notices: RunEvent[] = ['one', 'two'].map((word) => ({ type: 'notice', code: 'E_OUT_LOCK_LOST', message: `lost the lock, ${word}` }));
    const lines = plain(summaryLines(fold([...notices, { type: 'run-finished', at: at(NOW - T0), interrupted: false }], midRun()), { now: NOW, reportPath: 'r', outDir: 'o' }));
    const at1 = lines.indexOf('  ⚠ lost the lock, one');
    assert.ok(at1 > 2, lines.join('\n'));
    assert.equal(lines[at1 + 1], '  ⚠ lost the lock, two');
    assert.equal(plain(summaryLines(finished(), { now: NOW, reportPath: 'r', outDir: 'o' })).filter((line) => line.includes('⚠')).length, 0);
  });

  test('a run that downloaded nothing (analyze) does not mention downloads', () => {
    const events: RunEvent[] = [
      { type: 'run-started', command: 'analyze', detector: 'blob', workers: 1, at: at(0) },
      { type: 'tasks-added', tasks: [{ id: 'a', name: 'a.png', file: 'a.png' }] },
      { type: 'analysis-started', id: 'a', worker: 0 },
      { type: 'analysis-done', id: 'a', result: skyResult(3, 12, { truth: false }) },
      { type: 'run-finished', at: at(900), interrupted: false },
    ];
    const lines = plain(summaryLines(fold(events), { now: NOW, reportPath: 'r', outDir: 'o' }));
    assert.equal(lines[2], '  ✦ 12 stars in 1 image');
  });

  test('images kept from a resumed run are named in the totals', () => {
    const kept: RunEvent = { type: 'task-restored', id: 't20', file: 'out/downloads/20.jpg', result: skyResult(20, 30) };
    const lines = plain(summaryLines(fold([kept, { type: 'run-finished', at: at(NOW - T0), interrupted: false }], midRun()), { now: NOW, reportPath: 'r', outDir: 'o' }));
    assert.equal(lines[1], '  24 tasks: 11 done · 1 failed · 1 skipped (1 kept from the run resumed) · 11 not finished');
  });

  test('a long reason wraps under itself, indented, at the given width', () => {
    const { lastFrame } = render(<Summary state={finished()} now={NOW} reportPath="out/report.json" outDir="out" width={40} color={false} />);
    const lines = stripAnsi(lastFrame()!).split('\n');
    const at = lines.findIndex((line) => line.includes('Stars over Mauna Kea'));
    const reason = lines.slice(at + 1, lines.findIndex((line, i) => i > at && line.startsWith('Skipped')));
    assert.ok(reason.length >= 2, `the reason wraps at 40 columns:\n${lines.join('\n')}`);
    for (const line of reason) assert.match(line, /^ {6}\S/);
    assert.equal(reason.map((line) => line.trim()).join(' '), FAILURE.message);
  });

  test('a wrapped reason starts each line at the indent, not one space after it', () => {
    const message = 'GET http://127.0.0.1:34789/images/11.jpg is not an image (Content-Type text/html; charset=utf-8, first bytes 3c 21 64 6f 63 74 79 70); expected JPEG, PNG, GIF, WebP or TIFF';
    const failed: RunEvent = { type: 'task-failed', id: 't12', stage: 'download', error: { code: 'E_NOT_AN_IMAGE', message } };
    const state = fold([failed, { type: 'run-finished', at: at(NOW - T0), interrupted: false }], midRun());
    const { lastFrame } = render(<Summary state={state} now={NOW} reportPath="r" outDir="o" width={120} color={false} />);
    const lines = stripAnsi(lastFrame()!).split('\n');
    const at12 = lines.findIndex((line) => line.includes('E_NOT_AN_IMAGE'));
    assert.equal(lines[at12 + 1], '      GET http://127.0.0.1:34789/images/11.jpg is not an image (Content-Type text/html; charset=utf-8, first bytes 3c 21');
    assert.equal(lines[at12 + 2], '      64 6f 63 74 79 70); expected JPEG, PNG, GIF, WebP or TIFF');
  });

  test('renders in Ink with the failure reasons', () => {
    const { lastFrame } = render(<Summary state={finished()} now={NOW} reportPath="out/report.json" outDir="out" color={false} />);
    const text = stripAnsi(lastFrame()!);
    assert.match(text, /Failed \(1\):/);
    assert.match(text, /Stars over Mauna Kea +E_HTTP_STATUS\n {6}Request failed with status code 503/);
    assert.match(text, /Report +out\/report\.json/);
  });
});
