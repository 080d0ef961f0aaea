/**
 * Run with `node --expose-gc`: holds ~200 MiB of 1 MiB buffers in glibc's arena, frees all but the
 * newest, trims, and prints RSS (MiB) at each step as JSON, for test/memory-trim.test.ts.
 */
import koffi from 'koffi';
import { loadMallocTrim } from '../../src/memory-trim.js';
import { mallocInfo } from './malloc-info.js';

const MiB = 1024 * 1024;
const M_MMAP_THRESHOLD = -3;
const rss = (): number => Math.round(process.memoryUsage.rss() / MiB);
const inUse = (): number => mallocInfo()?.inUse ?? 0;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

// 1 MiB blocks come from the arena, as a run's do once glibc has raised its threshold, instead of
// mmaps of their own that free would unmap at once.
const mallopt = koffi.load('libc.so.6').func('int mallopt(int param, int value)') as (param: number, value: number) => number;
mallopt(M_MMAP_THRESHOLD, 16 * MiB);
const before = inUse();
const buffers = Array.from({ length: 200 }, (_, i) => Buffer.allocUnsafeSlow(MiB).fill(i));
const held = rss();
const newest = buffers.pop();
buffers.length = 0;
gc();
// V8 frees array buffers' memory on a background thread: wait until glibc has them all back.
while (inUse() - before > 10 * MiB) await new Promise((resolve) => setImmediate(resolve));
const afterFree = rss();
const trim = await loadMallocTrim();
if (trim === undefined) throw new Error('no malloc_trim here');
const released = await trim();
console.log(JSON.stringify({ held, afterFree, afterTrim: rss(), released, kept: newest?.length }));
