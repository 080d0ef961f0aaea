import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { loadMallocTrim, trimMemoryPeriodically, TRIM_INTERVAL_MS, type Trim } from '../src/memory-trim.js';

/** A stand-in clock: records the timers asked for, runs them on `tick()`. */
interface FakeTimer {
  callback: () => void;
  ms: number;
  unrefed: boolean;
  cleared: boolean;
  unref(): unknown;
}

function fakeClock() {
  const timers: FakeTimer[] = [];
  return {
    timers,
    setInterval: (callback: () => void, ms: number) => {
      const timer: FakeTimer = { callback, ms, unrefed: false, cleared: false, unref: () => (timer.unrefed = true) };
      timers.push(timer);
      return timer;
    },
    clearInterval: (timer: { unref(): unknown }) => void ((timer as FakeTimer).cleared = true),
    tick: () => timers.filter((t) => !t.cleared).forEach((t) => t.callback()),
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('trims on an unref’ed timer every 2 s until disposed, finding malloc_trim at the first tick', async () => {
  const clock = fakeClock();
  let loads = 0;
  let trims = 0;
  const trim: Trim = async () => ++trims && 1;
  const dispose = trimMemoryPeriodically({ load: async () => (loads++, trim), ...clock });
  assert.equal(clock.timers.length, 1);
  assert.deepEqual({ ms: clock.timers[0]?.ms, unrefed: clock.timers[0]?.unrefed }, { ms: TRIM_INTERVAL_MS, unrefed: true });
  assert.equal(TRIM_INTERVAL_MS, 2000);
  await settle();
  assert.equal(loads, 0, 'nothing is loaded before the first tick');
  clock.tick();
  await settle();
  clock.tick();
  await settle();
  assert.deepEqual({ loads, trims }, { loads: 1, trims: 2 });
  dispose();
  assert.equal(clock.timers[0]?.cleared, true);
  clock.tick();
  await settle();
  assert.equal(trims, 2);
});

test('a tick while a trim is still running starts no second one', async () => {
  const clock = fakeClock();
  let trims = 0;
  let finish!: () => void;
  const trim: Trim = () => (trims++, new Promise<number>((resolve) => (finish = () => resolve(1))));
  const dispose = trimMemoryPeriodically({ load: async () => trim, ...clock });
  clock.tick();
  await settle();
  clock.tick();
  clock.tick();
  assert.equal(trims, 1);
  finish();
  await settle();
  clock.tick();
  await settle();
  assert.equal(trims, 2);
  dispose();
});

test('stops its timer where there is no malloc_trim', async () => {
  const clock = fakeClock();
  let loads = 0;
  trimMemoryPeriodically({ load: async () => void loads++, ...clock });
  clock.tick();
  await settle();
  assert.deepEqual({ loads, cleared: clock.timers[0]?.cleared }, { loads: 1, cleared: true });
});

test('a run that ends while malloc_trim is being found does not trim', async () => {
  const clock = fakeClock();
  let trims = 0;
  let found!: (trim: Trim) => void;
  const dispose = trimMemoryPeriodically({ load: () => new Promise<Trim>((resolve) => (found = resolve)), ...clock });
  clock.tick();
  dispose();
  found(async () => ++trims);
  await settle();
  assert.equal(trims, 0);
});

test('finds glibc’s malloc_trim on Linux, and it runs', { skip: process.platform !== 'linux' }, async () => {
  const trim = await loadMallocTrim();
  assert.ok(trim, 'koffi should load malloc_trim from libc.so.6');
  assert.ok([0, 1].includes(await trim()));
});

test('a trim gives back the memory glibc held free after a burst of buffers', { skip: process.platform !== 'linux' }, async () => {
  // A child process with its own heap: 200 MiB of 1 MiB buffers freed below a live one stay
  // resident (the arena's top cannot shrink past it) until malloc_trim gives them back.
  const child = await execa(process.execPath, ['--expose-gc', fileURLToPath(new URL('./helpers/trim-child.js', import.meta.url))]);
  const { held, afterFree, afterTrim } = JSON.parse(child.stdout) as { held: number; afterFree: number; afterTrim: number };
  assert.ok(afterFree - held > -20, `freeing alone gave back ${held - afterFree} MiB: the burst was not held`);
  assert.ok(afterFree - afterTrim >= 150, `the trim gave back ${afterFree - afterTrim} MiB of ~200 held free`);
});
