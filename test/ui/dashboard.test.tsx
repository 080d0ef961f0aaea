import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { renderToString } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import type { RunEvent } from '../../src/orchestrator/events.js';
import type { RunState } from '../../src/orchestrator/state.js';
import { Dashboard, type DashboardProps } from '../../src/ui/components/Dashboard.js';
import { dashboardLayout } from '../../src/ui/layout.js';
import { INITIAL_VIEW, type ViewState } from '../../src/ui/view-state.js';
import { FAILURE, NOW, TITLES, added, bigRun, cpuHistory, finish, fold, midRun, skyResult, started, stripAnsi } from './runs.js';

after(cleanup);

const browse = (selected: number): ViewState => ({ selected, follow: false, helpVisible: false });

function props(state: RunState, width: number, height: number, extra: Partial<DashboardProps> = {}): DashboardProps {
  return { state, cpu: cpuHistory(4), view: INITIAL_VIEW, width, height, now: NOW, reportPath: 'out/report.json', outDir: 'out', color: false, ...extra };
}

/** The dashboard at `width × height` as plain text lines. */
function frame(state: RunState, width: number, height: number, extra: Partial<DashboardProps> = {}): string[] {
  return stripAnsi(renderToString(<Dashboard {...props(state, width, height, extra)} />, { columns: width })).split('\n');
}

/** The task row of `name` (the selection marker or a space, then the name). */
const rowOf = (lines: string[], name: string): string => {
  const found = lines.filter((l) => l.startsWith(`  ${name}`) || l.startsWith(`❯ ${name}`));
  assert.equal(found.length, 1, `one row for ${JSON.stringify(name)} in\n${lines.join('\n')}`);
  return found[0]!;
};

const lineWith = (lines: string[], text: string): string => {
  const found = lines.filter((l) => l.includes(text));
  assert.equal(found.length, 1, `one line with ${JSON.stringify(text)} in\n${lines.join('\n')}`);
  return found[0]!;
};

function assertFits(lines: string[], width: number, height: number, what: string): void {
  assert.ok(lines.length <= height, `${what}: ${lines.length} lines > ${height}`);
  for (const line of lines) assert.ok([...line].length <= width, `${what}: line of ${[...line].length} > ${width}: ${line}`);
}

describe('Dashboard', () => {
  test('shows PAUSED exactly while the run is paused', () => {
    const paused = midRun({ paused: true });
    const { lastFrame, rerender } = render(<Dashboard {...props(paused, 80, 24)} />);
    assert.match(stripAnsi(lastFrame()!), /\bPAUSED\b/);
    rerender(<Dashboard {...props(fold([{ type: 'run-resumed' }], paused), 80, 24)} />);
    assert.doesNotMatch(stripAnsi(lastFrame()!), /PAUSED/);
    assert.doesNotMatch(frame(midRun(), 200, 60).join('\n'), /PAUSED/);
    assert.match(frame(midRun({ paused: true }), 200, 60).join('\n'), /\bPAUSED\b/);
  });

  test('a download of a paused run says paused where its speed was', () => {
    // Each downloading row's detail, up to the side panel.
    const downloading = (state: RunState): string[] =>
      frame(state, 200, 60).filter((line) => line.includes('↓ downloading')).map((line) => line.split('↓ downloading ')[1]!.slice(0, 48).trimEnd());
    assert.deepEqual(downloading(midRun()).map((d) => d.slice(21)), ['1.2/3.2 MiB      820 KiB/s', '244 KiB/2.0 MiB  400 KiB/s', '87.9 KiB         117 KiB/s']);
    assert.deepEqual(downloading(midRun({ paused: true })).map((d) => d.slice(21)), ['1.2/3.2 MiB      paused', '244 KiB/2.0 MiB  paused', '87.9 KiB         paused']);
  });

  test('labels each core cpu0, cpu1, … and lists each worker busy or idle', () => {
    const lines = frame(midRun(), 80, 24);
    for (let i = 0; i < 4; i++) assert.match(lines.join('\n'), new RegExp(`\\bcpu${i}\\b`));
    assert.match(lineWith(lines, 'w1 busy'), /Carina Nebula/);
    assert.match(lines.join('\n'), /\bw0 idle\b/);
    const many = frame(midRun(), 80, 24, { cpu: cpuHistory(16) }).join('\n');
    for (let i = 0; i < 16; i++) assert.match(many, new RegExp(`\\bcpu${i}\\b`), `cpu${i} at 80×24 with 16 cores`);
  });

  test('shows a row per task with its state and what the state has to say', () => {
    const state = midRun();
    const lines = frame(state, 160, 45);
    for (const title of TITLES) rowOf(lines, title.slice(0, 20));
    const result = (i: number) => state.tasks[i]!.result!;
    const andromeda = rowOf(lines, 'The Andromeda Galaxy');
    assert.match(andromeda, /✓ done/);
    const truth = result(0).truth!;
    assert.match(andromeda, new RegExp(`✦ +${result(0).stars} stars +${truth.found}/${truth.stars} ≥5σ +${truth.spurious} false `));
    assert.match(rowOf(lines, 'Stars over Mauna Kea'), new RegExp(`✗ failed +${FAILURE.code} +Request failed with status code 503`));
    assert.match(rowOf(lines, 'Solar Eclipse'), /– skipped +media_type is video, not image/);
    assert.match(rowOf(lines, 'Carina Nebula Wide Field'), /◆ analysing +on w1/);
    assert.match(rowOf(lines, 'The Beehive Cluster'), /◦ downloaded +2\.9 MiB · waiting for a worker/);
    assert.match(rowOf(lines, 'Southern Cross Starfield'), /↓ downloading +█+.*░+ 1\.2\/3\.2 MiB +820 KiB\/s/);
    assert.match(rowOf(lines, 'Sagittarius Star Cloud'), /↻ retrying +attempt 2 in 1\.2 s +connection reset/);
    assert.match(rowOf(lines, 'Jewel Box Cluster'), /· queued/);
  });

  test('the list window follows the selection, and the activity when following', () => {
    const state = bigRun(1000);
    const { lastFrame, rerender } = render(<Dashboard {...props(state, 80, 24, { view: browse(500) })} />);
    let text = stripAnsi(lastFrame()!);
    assert.match(rowOf(text.split('\n'), 'image-00500.jpg'), /^❯ /);
    assert.doesNotMatch(text, /image-00000/);
    rerender(<Dashboard {...props(state, 80, 24, { view: browse(995) })} />);
    text = stripAnsi(lastFrame()!);
    assert.match(rowOf(text.split('\n'), 'image-00995.jpg'), /^❯ /);
    assert.match(text, /image-00999\.jpg/);
    assert.match(text, /of 1,000/);

    const following = frame(bigRun(1000, 30), 80, 24);
    assert.match(rowOf(following, 'image-00030.jpg'), /downloading/);
    assert.match(following.join('\n'), /image-00029\.jpg.*✓ done/);
    assert.doesNotMatch(following.join('\n'), /image-00000|❯/);
    assert.match(following.join('\n'), /following/);
  });

  test('renders only the window of rows: the same number for 100 and 10,000 tasks', () => {
    const rows = dashboardLayout(80, 24, 4).listBlock - 1;
    for (const count of [100, 10_000]) {
      const rendered: number[] = [];
      const { lastFrame, unmount } = render(<Dashboard {...props(bigRun(count), 80, 24, { view: browse(count / 2), onRowRender: (i) => rendered.push(i) })} />);
      assert.equal(rendered.length, rows, `${count} tasks`);
      assert.ok(rendered.every((i) => Math.abs(i - count / 2) <= rows));
      assert.ok(stripAnsi(lastFrame()!).split('\n').length <= 24);
      unmount();
    }
  });

  test('a progress event re-renders one row, and a frame of 10,000 tasks costs about what one of 100 does', () => {
    const cost = (count: number): { ms: number; rows: number } => {
      let state = bigRun(count, 2);
      let rows = 0;
      const view = browse(3);
      const onRowRender = (): void => void rows++; // one function throughout, as a real caller would pass
      const { rerender, unmount } = render(<Dashboard {...props(state, 80, 24, { view, onRowRender })} />);
      const events: RunEvent[] = Array.from({ length: 20 }, (_, k) => ({ type: 'download-progress', id: 't3', transferred: 10_000 * (k + 1), total: 1_000_000, bytesPerSecond: 500_000 }));
      const states = events.map((e) => (state = fold([e], state)));
      rows = 0;
      const times: number[] = [];
      for (const s of states) {
        const t0 = performance.now();
        rerender(<Dashboard {...props(s, 80, 24, { view, onRowRender })} />);
        times.push(performance.now() - t0);
      }
      unmount();
      times.sort((a, b) => a - b);
      return { ms: times[Math.floor(times.length / 2)]!, rows };
    };
    cost(100); // warm up
    const small = cost(100);
    const large = cost(10_000);
    assert.equal(small.rows, 20, 'one row per event');
    assert.equal(large.rows, 20, 'one row per event');
    // A little absolute slack keeps timer noise on a busy machine from failing the test.
    assert.ok(large.ms < 3 * small.ms + 2, `median frame: ${large.ms.toFixed(2)} ms for 10,000 tasks vs ${small.ms.toFixed(2)} ms for 100`);
  });

  test('never taller or wider than the terminal, 80×24 to 200×60', () => {
    const states = { mid: midRun(), big: bigRun(10_000, 40), empty: fold([]) };
    const views: ViewState[] = [INITIAL_VIEW, browse(7), { ...INITIAL_VIEW, helpVisible: true }];
    for (const [name, state] of Object.entries(states)) {
      for (const view of views) {
        for (const [w, h] of [[80, 24], [200, 60], [160, 45], [100, 40], [60, 16], [40, 8]] as const) {
          assertFits(frame(state, w, h, { view, cpu: cpuHistory(12) }), w, h, `${name} ${w}×${h} ${JSON.stringify(view)}`);
        }
      }
    }
  });

  test('uses the room of 200×60: the preview and the histogram beside the list', () => {
    const lines = frame(midRun(), 200, 60);
    const layout = dashboardLayout(200, 60, 4);
    assert.ok(lines.length >= 55);
    const pane = lines.map((l) => [...l].slice(layout.listWidth).join('')).join('\n');
    assert.match(pane, /Latest/);
    assert.match(pane, /Stars per image/);
    assert.match(pane, /[\u2801-\u28ff]/, 'braille dots');
    assert.match(pane, /✦/, 'star marks');
    assert.match(pane, /✦ \d+ stars · \d+ false · \d+\/\d+ ≥5σ · /);
  });

  test('previews the selected image when it is done', () => {
    const state = midRun();
    const pane = frame(state, 160, 45, { view: browse(2) }).join('\n');
    assert.match(pane, /Selected ─+ Pleiades Star Cluster/);
    assert.match(pane, new RegExp(`✦ ${state.tasks[2]!.result!.stars} stars`));
  });

  test('a one-star image is "1 star" in the preview, not "1 stars"', () => {
    const state = fold(finish('t0', 0, skyResult(3, 1)), fold([started(2), added(['Lonely Star'])]));
    const pane = frame(state, 160, 45).join('\n');
    assert.match(pane, /✦ 1 star · /);
    assert.doesNotMatch(pane, /1 stars/);
  });

  test('the help panel lists the keys', () => {
    const text = frame(midRun(), 80, 24, { view: { ...INITIAL_VIEW, helpVisible: true } }).join('\n');
    for (const words of ['pause / resume', 'retry every failed task', 'retry the selected failed task', 'PgUp PgDn', 'first / last task', 'quit']) assert.ok(text.includes(words), words);
  });

  test('a notice (the --out lock lost) shows first in the footer, in the frame, the latest one', () => {
    const notice = (message: string): RunEvent => ({ type: 'notice', code: 'E_OUT_LOCK_LOST', message });
    const state = fold([notice('an older notice'), notice('lost the lock on out: another run may be writing there too')], midRun());
    const lines = frame(state, 120, 30);
    assertFits(lines, 120, 30, '120×30 with a notice');
    assert.equal(lines.length, frame(midRun(), 120, 30).length, 'no line added: the frame keeps its height');
    assert.match(lines.at(-1)!, /^⚠ lost the lock on out: another run may be writing there too {3}p pause {2}/);
    assert.doesNotMatch(lines.join('\n'), /an older notice/);
    assert.doesNotMatch(frame(midRun(), 120, 30).join('\n'), /⚠/);
  });

  test('once finished, the footer says where the report and images are', () => {
    const done = fold([{ type: 'run-finished', at: new Date(NOW).toISOString(), interrupted: false }], midRun());
    const text = frame(done, 120, 30).join('\n');
    assert.match(text, /report out\/report\.json +images out\/processed\//);
    assert.match(text, /finished/);
  });
});
