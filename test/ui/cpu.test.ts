import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { coreCell, cpuFractions, loadLevel, pushHistory, sparkGlyph, sparkline, workerCell, type CpuTimes } from '../../src/ui/cpu.js';

const times = (busy: number, idle: number): { times: CpuTimes } => ({ times: { user: busy, nice: 0, sys: 0, idle, irq: 0 } });

describe('cpuFractions', () => {
  test('is the busy share of the time between two samples, per core', () => {
    const prev = [times(100, 900), times(500, 500)];
    const next = [times(175, 925), times(500, 600)];
    assert.deepEqual(cpuFractions(prev, next), [0.75, 0]);
  });

  test('counts nice, sys and irq as busy', () => {
    const prev = [{ times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } }];
    const next = [{ times: { user: 10, nice: 10, sys: 10, idle: 60, irq: 10 } }];
    assert.deepEqual(cpuFractions(prev, next), [0.4]);
  });

  test('a new core or no elapsed time reads 0', () => {
    assert.deepEqual(cpuFractions([times(1, 1)], [times(1, 1), times(5, 5)]), [0, 0]);
  });
});

describe('histories and sparklines', () => {
  test('pushHistory appends the newest sample and keeps the last n', () => {
    const h1 = pushHistory([], [0.1, 0.2], 3);
    const h2 = pushHistory(pushHistory(pushHistory(h1, [0.3, 0.4], 3), [0.5, 0.6], 3), [0.7, 0.8], 3);
    assert.deepEqual(h2, [
      [0.3, 0.5, 0.7],
      [0.4, 0.6, 0.8],
    ]);
    assert.deepEqual(h1, [[0.1], [0.2]], 'inputs are not changed');
  });

  test('sparklines show the newest values, right-aligned, ▁ for idle and █ for full', () => {
    assert.equal(sparkline([0, 0.5, 1], 3), '▁▅█');
    assert.equal(sparkline([1], 3), '  █');
    assert.equal(sparkline([0, 0, 0, 1, 1], 2), '██');
    assert.equal(sparkGlyph(Number.NaN), '▁');
    assert.equal(loadLevel(0.9), 'high');
    assert.equal(loadLevel(0.6), 'mid');
    assert.equal(loadLevel(0.1), 'low');
  });
});

describe('CPU panel cells', () => {
  const history = [0.2, 0.4, 0.45];
  const length = (c: ReturnType<typeof coreCell>): number =>
    c.label.length + (c.bar ? 1 + c.bar.fill.length + c.bar.rest.length : 0) + (c.percent ? 1 + c.percent.length : 0) + (c.spark ? 1 + c.spark.length : 0);

  test('a wide cell has label, bar, percent and sparkline; narrower ones drop the bar, then the percent', () => {
    const wide = coreCell(3, 4, history, 40);
    assert.equal(wide.label, 'cpu3');
    assert.ok(wide.bar && wide.percent === ' 45%' && wide.spark);
    const mid = coreCell(3, 4, history, 18);
    assert.equal(mid.bar, undefined);
    assert.ok(mid.percent && mid.spark);
    const small = coreCell(12, 5, history, 10);
    assert.equal(small.label, 'cpu12');
    assert.equal(small.percent, undefined);
    assert.ok(small.spark);
  });

  test('cells never exceed their width less the gap', () => {
    for (let w = 4; w <= 60; w++) assert.ok(length(coreCell(7, 4, history, w)) <= w - 1, `width ${w}`);
  });

  test('workers say busy with the image, or idle; narrow cells use dots', () => {
    assert.deepEqual(workerCell(0, 2, 'Orion Nebula', 30), { label: 'w0', state: ' busy ', task: 'Orion Nebula', busy: true });
    assert.equal(workerCell(1, 2, undefined, 30).state, ' idle');
    assert.equal(workerCell(0, 2, 'A very long image name indeed', 16).task, 'A very…');
    assert.equal(workerCell(0, 2, 'x', 8).state, ' ●');
    assert.equal(workerCell(0, 2, undefined, 8).state, ' ○');
  });
});
