import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import type { RunListener } from '../../src/orchestrator/orchestrator.js';
import type { RunEvent } from '../../src/orchestrator/events.js';
import { reduceRun, type RunState } from '../../src/orchestrator/state.js';
import { App, type RunControl } from '../../src/ui/App.js';
import { added, fold, started } from './runs.js';

/** A stand-in orchestrator: records the calls, and emits the events a test gives it. */
class FakeRun implements RunControl {
  calls: string[] = [];
  private listeners = new Set<RunListener>();
  constructor(public snapshot: RunState) {}
  on(listener: RunListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(event: RunEvent): void {
    this.snapshot = reduceRun(this.snapshot, event);
    for (const listener of this.listeners) listener(event, this.snapshot);
  }
  pause(): void {
    this.calls.push('pause');
    this.emit({ type: 'run-paused' });
  }
  resume(): void {
    this.calls.push('resume');
    this.emit({ type: 'run-resumed' });
  }
  retry(id: string): void {
    this.calls.push(`retry ${id}`);
  }
  retryFailed(): void {
    this.calls.push('retryFailed');
  }
  get listenerCount(): number {
    return this.listeners.size;
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const cpu = { sample: () => [], intervalMs: 60_000 };

test('keys drive the run: p pauses and resumes, r retries the failed, q quits, Ctrl-C interrupts', async () => {
  const run = new FakeRun(fold([started(2), added(['a', 'b', 'c'])]));
  const quits: string[] = [];
  const app = render(<App run={run} onQuit={() => quits.push('q')} onInterrupt={() => quits.push('^C')} reportPath="out/report.json" outDir="out" cpu={cpu} color={false} />);
  await tick();
  for (const key of ['p', 'p', 'r', 'q', '\u0003']) {
    app.stdin.write(key);
    await tick();
  }
  assert.deepEqual(run.calls, ['pause', 'resume', 'retryFailed']);
  assert.deepEqual(quits, ['q', '^C']);
  app.unmount();
  assert.equal(run.listenerCount, 0, 'unsubscribed on unmount');
});

test('R retries the selected task only when it failed', async () => {
  const run = new FakeRun(fold([started(2), added(['a', 'b'])]));
  run.emit({ type: 'task-failed', id: 't0', stage: 'download', error: { code: 'E_HTTP_404', message: 'gone' } });
  const app = render(<App run={run} onQuit={() => {}} onInterrupt={() => {}} reportPath="out/report.json" outDir="out" cpu={cpu} color={false} />);
  await tick();
  for (const key of ['g', 'R', 'j', 'R']) {
    app.stdin.write(key);
    await tick();
  }
  assert.deepEqual(run.calls, ['retry t0']);
  app.unmount();
});

test('the dashboard follows the run, a burst of events rendering once (throttled)', async () => {
  const run = new FakeRun(fold([started(2), added(['a', 'b'])]));
  const app = render(<App run={run} onQuit={() => {}} onInterrupt={() => {}} reportPath="out/report.json" outDir="out" cpu={cpu} color={false} />);
  await tick();
  const frames = app.frames.length;
  run.pause();
  run.resume();
  run.pause();
  await new Promise((resolve) => setTimeout(resolve, 120));
  assert.match(app.lastFrame() ?? '', /PAUSED/);
  assert.ok(app.frames.length - frames <= 2, `at most one new frame for the burst, got ${app.frames.length - frames}`);
  app.unmount();
});
