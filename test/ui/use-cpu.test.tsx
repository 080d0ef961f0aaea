import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { useCpu, type CpuOptions } from '../../src/ui/hooks/use-cpu.js';

/** A CPU whose every sample is 10 ms busier, and that says when it was read. */
function fakeCpu() {
  let reads = 0;
  let waiting: { count: number; resolve: () => void } | undefined;
  const sample = () => {
    reads++;
    if (waiting && reads >= waiting.count) waiting.resolve();
    return [{ times: { user: reads * 10, nice: 0, sys: 0, idle: 1000 * reads, irq: 0 } }];
  };
  /** Resolves once the CPU has been read `count` times in all (the sampler's timer is unref()ed: this keeps the loop up). */
  const read = async (count: number): Promise<void> => {
    const alive = setInterval(() => {}, 1_000);
    await new Promise<void>((resolve) => (reads >= count ? resolve() : (waiting = { count, resolve })));
    clearInterval(alive);
  };
  return { sample, read, get reads() { return reads; } };
}

let renders = 0;
function Probe({ options, frame }: { options: CpuOptions; frame: number }) {
  const { cores } = useCpu(options);
  renders++;
  return <Text>{`frame ${frame}: ${cores[0]?.length ?? 0} samples`}</Text>;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The next frame ink-testing-library's terminal is given. */
function nextFrame(app: ReturnType<typeof render>): Promise<string> {
  const stdout = app.stdout as unknown as { write: (frame: string) => void };
  const write = stdout.write;
  const alive = setInterval(() => {}, 1_000);
  return new Promise((resolve) => {
    stdout.write = (frame) => {
      write(frame);
      stdout.write = write;
      clearInterval(alive);
      resolve(frame);
    };
  });
}

/** A Probe sampling `fakeCpu()` every 5 ms on a clock the test sets, drawn once and settled. */
async function mounted(t: TestContext) {
  const cpu = fakeCpu();
  const clock = { now: 0 };
  const options: CpuOptions = { sample: cpu.sample, intervalMs: 5, now: () => clock.now };
  const app = render(<Probe options={options} frame={1} />);
  t.after(() => app.unmount());
  await tick();
  return { cpu, clock, options, app, before: renders };
}

test('useCpu: a sample draws a frame of its own when nothing else has drawn lately', async (t) => {
  const { cpu, clock, app, before } = await mounted(t);
  const frame = nextFrame(app);
  clock.now = 1_000; // the last frame was a second ago
  // Two reads set the baseline (the first render, the timer's start); the first sample draws.
  // Later samples find a frame drawn at this clock's time: they wait for the next frame.
  const shown = Number(/^frame 1: (\d+) samples$/.exec(await frame)?.[1]);
  // At least the sample that asked for it (another may have come before React drew it).
  assert.ok(shown >= 1 && shown <= cpu.reads - 2, `${shown} samples shown, ${cpu.reads - 2} taken`);
  await cpu.read(cpu.reads + 2);
  await tick();
  assert.equal(renders, before + 1, 'one frame: later samples found it drawn just now');
});

test('useCpu: while frames are being drawn, a sample waits for the next one instead of adding one', async (t) => {
  const { cpu, clock, options, app, before } = await mounted(t);
  clock.now = 50; // a frame 50 ms ago: the run is drawing
  // Two samples: a frame the first one asked for would be drawn before the second is taken.
  await cpu.read(4);
  await tick();
  assert.equal(renders, before, 'no frame for the samples');
  assert.equal(app.lastFrame(), 'frame 1: 0 samples');
  app.rerender(<Probe options={options} frame={2} />);
  assert.equal(app.lastFrame(), `frame 2: ${cpu.reads - 2} samples`, 'the next frame shows every sample taken');
});
