/**
 * `npm run bench:ui -- [--frames N] [--seconds S] [--repeats N] [--launches N]`: what the dashboard costs.
 *
 * Run with NODE_ENV=production (the npm script does), as bin/stardash.js runs the dashboard.
 * 1. Frame cost: a synthetic run of 100, 1,000 and 10,000 tasks (test/bench/synthetic-run.ts) is
 *    advanced one tick a frame (8 downloads in flight, 2 workers) and the Dashboard re-rendered by
 *    Ink into a 120×40 terminal that discards what it gets; per frame, the reducer's time for the
 *    tick's events and Ink's render (React, layout, the terminal write). Target ≤ 16 ms a frame.
 * 2. CPU share: the real App (mountDashboard: throttled subscription, CPU sampler, keys) on a
 *    1,000-task synthetic run ticking at 10 Hz for S seconds; process CPU time ÷ wall time, the
 *    median of N such runs (one run varies by ±0.5 points on a shared machine).
 *    Target ≤ 3 % of a core at 10 fps.
 * 3. First frame: `stardash analyze` and `stardash demo` launched in a pseudo-terminal (`script`);
 *    the time from spawn to the title line (written before Ink loads) and to the dashboard's first
 *    frame (its CPU panel). Target ≤ 300 ms.
 * Medians over the frames and launches; the machine is printed with the figures.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { render } from 'ink';
import { Dashboard } from '../../src/ui/components/Dashboard.js';
import { mountDashboard } from '../../src/ui/mount-dashboard.js';
import { INITIAL_VIEW } from '../../src/ui/view-state.js';
import { repoRoot } from '../helpers/fixtures.js';
import { cpuHistory } from '../ui/runs.js';
import { SyntheticRun } from './synthetic-run.js';
import { numberOption } from './args.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number, min = 1): number => numberOption(args, name, fallback, min);
const frames = option('--frames', 300);
const seconds = option('--seconds', 10);
const launches = option('--launches', 5);
const repeats = option('--repeats', 3);

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const percentile = (values: readonly number[], p: number): number => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');

/** A terminal that counts what it is sent and keeps nothing. */
class NullTerminal extends Writable {
  readonly isTTY = true;
  /** Writes that carry a frame (Ink brackets each frame with synchronized-output marks, written on their own). */
  frames = 0;
  bytes = 0;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    if (!/^\u001B\[\?2026[hl]$/.test(chunk.toString())) this.frames++;
    this.bytes += chunk.length;
    callback();
  }
}

async function frameCost(count: number): Promise<{ reduceMs: number; renderMs: number; p95: number; bytes: number }> {
  const run = new SyntheticRun({ count });
  for (let i = 0; i < 200; i++) run.tick();
  const stdout = new NullTerminal(120, 40);
  const props = { cpu: cpuHistory(2), view: INITIAL_VIEW, width: 120, height: 39, reportPath: 'out/report.json', outDir: 'out', color: true };
  // maxFps 0: every rerender is drawn at once, so its cost is measured where it happens.
  const instance = render(<Dashboard state={run.snapshot} now={Date.now()} {...props} />, { stdout: stdout as unknown as NodeJS.WriteStream, maxFps: 0, patchConsole: false, exitOnCtrlC: false });
  const reduce: number[] = [];
  const draw: number[] = [];
  const bytesBefore = stdout.bytes;
  for (let f = 0; f < frames; f++) {
    const t0 = performance.now();
    run.tick();
    const t1 = performance.now();
    instance.rerender(<Dashboard state={run.snapshot} now={Date.now()} {...props} />);
    const t2 = performance.now();
    reduce.push(t1 - t0);
    draw.push(t2 - t1);
  }
  const bytes = (stdout.bytes - bytesBefore) / frames;
  instance.unmount();
  return { reduceMs: median(reduce), renderMs: median(draw), p95: percentile(draw.map((d, i) => d + reduce[i]!), 0.95), bytes };
}

async function cpuShare(count: number, fps: number, columns: number, rows: number): Promise<{ share: number; drawn: number; tickShare: number }> {
  const run = new SyntheticRun({ count });
  const stdout = new NullTerminal(columns, rows);
  const stdin = Object.assign(new Readable({ read() {} }), { isTTY: false });
  const dashboard = mountDashboard({
    run,
    onQuit: () => {},
    onInterrupt: () => {},
    reportPath: 'out/report.json',
    outDir: 'out',
    color: true,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
  });
  await new Promise((resolve) => setTimeout(resolve, 1000)); // past the first frame and the CPU sampler's start
  const framesBefore = stdout.frames;
  let tickMs = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const t = performance.now();
      run.tick();
      tickMs += performance.now() - t;
      if (performance.now() - t0 >= seconds * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, 1000 / fps);
  });
  const wall = performance.now() - t0;
  const used = process.cpuUsage(cpu0);
  dashboard.unmount();
  return { share: (used.user + used.system) / 1000 / wall, drawn: (stdout.frames - framesBefore) / (wall / 1000), tickShare: tickMs / wall };
}

/**
 * Milliseconds from spawning `stardash ARGS` in a 120×40 pseudo-terminal to its first output (the
 * title line shown while Ink loads) and to the dashboard's first frame (its CPU panel).
 */
async function firstFrame(commandArgs: string): Promise<{ title: number; dashboard: number }> {
  const out = await mkdtemp(join(tmpdir(), 'stardash-bench-ui-'));
  try {
    const command = `stty cols 120 rows 40; exec env -u CI node bin/stardash.js ${commandArgs} -o ${out}`;
    const t0 = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: repoRoot, detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
    const times = await new Promise<{ title: number; dashboard: number }>((resolve, reject) => {
      let seen = '';
      let title: number | undefined;
      child.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (title === undefined && seen.includes('stardash')) title = performance.now() - t0;
        if (seen.includes('cpu0')) resolve({ title: title!, dashboard: performance.now() - t0 });
      });
      child.on('exit', () => reject(new Error(`stardash ${commandArgs} ended before its first frame:\n${seen}`)));
    });
    process.kill(-child.pid!, 'SIGKILL');
    return times;
  } finally {
    // The killed run may still be closing files in it.
    await rm(out, { recursive: true, force: true, maxRetries: 5 });
  }
}

console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, load ${loadavg()[0]!.toFixed(2)}`);
console.log(`\n1. Frame cost (120×40, median of ${frames} frames; p95 includes the reducer) — target ≤ 16 ms`);
for (const count of [100, 1_000, 10_000]) {
  const r = await frameCost(count);
  console.log(
    `   ${count.toLocaleString('en').padStart(6)} tasks: reduce ${r.reduceMs.toFixed(2)} ms + render ${r.renderMs.toFixed(2)} ms (p95 ${r.p95.toFixed(2)} ms), ${Math.round(r.bytes)} B/frame  ${verdict(r.p95 <= 16)}`,
  );
}
console.log(`\n2. CPU share of the whole process, the real App on 1,000 tasks ticking at 10 Hz, median of ${repeats} runs of ${seconds} s — target ≤ 3 % of a core`);
for (const [columns, rows] of [[80, 24], [120, 40]] as const) {
  const runs: Awaited<ReturnType<typeof cpuShare>>[] = [];
  for (let i = 0; i < repeats; i++) runs.push(await cpuShare(1_000, 10, columns, rows));
  const shares = runs.map((r) => r.share * 100);
  const share = median(shares);
  console.log(
    `   ${columns}×${rows}: ${share.toFixed(1)} % of a core (runs ${Math.min(...shares).toFixed(1)}–${Math.max(...shares).toFixed(1)}; ` +
      `${median(runs.map((r) => r.drawn)).toFixed(1)} frames/s drawn; the synthetic events themselves ${median(runs.map((r) => r.tickShare * 100)).toFixed(1)} %)  ${verdict(share <= 3)}`,
  );
}
console.log(`\n3. First frame after launch, in a pseudo-terminal (median of ${launches}): the title line, then the dashboard — target ≤ 300 ms`);
for (const command of ['analyze test/fixtures/images', 'demo --count 24']) {
  const runs: { title: number; dashboard: number }[] = [];
  for (let i = 0; i < launches; i++) runs.push(await firstFrame(command));
  const title = median(runs.map((r) => r.title));
  const dashboard = median(runs.map((r) => r.dashboard));
  console.log(`   stardash ${command}: title ${Math.round(title)} ms ${verdict(title <= 300)}, dashboard ${Math.round(dashboard)} ms ${verdict(dashboard <= 300)}`);
}
