import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectedComponents } from '../../../src/analysis/sky/components.js';
import { clippedSigma, gaussianKernel, smoothAt } from '../../../src/analysis/sky/threshold.js';

test('gaussianKernel: normalised, symmetric, out to 2.5σ; sigma 0 is the identity', () => {
  const k = gaussianKernel(1);
  assert.equal(k.length, 7);
  assert.ok(Math.abs(k.reduce((a, b) => a + b, 0) - 1) < 1e-6);
  assert.equal(k[0], k[6]);
  assert.ok(Math.abs(k[3]! / k[2]! - Math.exp(0.5)) < 1e-5);
  assert.deepEqual(Array.from(gaussianKernel(0)), [1]);
});

/** smoothAt over every pixel of a width × height image. */
function smoothAll(src: Float32Array, width: number, height: number, kernel: Float32Array): Float32Array {
  const out = new Float32Array(src.length);
  smoothAt(src, width, height, kernel, Array.from(src.keys()), out);
  return out;
}

test('smoothAt keeps a flat image flat (edges included) and spreads a point into the kernel', () => {
  const flat = new Float32Array(5 * 4).fill(7);
  for (const v of smoothAll(flat, 5, 4, gaussianKernel(1))) assert.ok(Math.abs(v - 7) < 1e-5);
  const point = new Float32Array(9 * 9);
  point[4 * 9 + 4] = 1;
  const k = gaussianKernel(1);
  const out = smoothAll(point, 9, 9, k);
  assert.ok(Math.abs(out[4 * 9 + 4]! - k[3]! * k[3]!) < 1e-7);
  assert.ok(Math.abs(out[2 * 9 + 5]! - k[1]! * k[4]!) < 1e-7);
});

test('smoothAt writes the listed pixels only, each as the whole image\'s smoothing has it', () => {
  const width = 12;
  const height = 10;
  const src = Float32Array.from({ length: width * height }, (_, i) => (i * 37) % 11);
  const k = gaussianKernel(1);
  const all = smoothAll(src, width, height, k);
  const out = new Float32Array(width * height).fill(-1);
  const listed = [0, 5 * width + 6, 9 * width + 11, 3 * width + 2];
  smoothAt(src, width, height, k, listed, out);
  for (let p = 0; p < out.length; p++) assert.equal(out[p], listed.includes(p) ? all[p] : -1, `pixel ${p}`);
});

test('smoothAt: at edges and inside, exactly the float32 tap-by-tap separable convolution with edges repeated', () => {
  const width = 13;
  const height = 11;
  const src = Float32Array.from({ length: width * height }, (_, i) => ((i * 53) % 17) - 4.25);
  for (const k of [gaussianKernel(1), gaussianKernel(0.6)]) {
    const r = k.length >> 1;
    const at = (x: number, y: number): number => src[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))]!;
    const alongX = (x: number, y: number): number => k.reduce((sum, w, i) => Math.fround(sum + w * at(x + i - r, y)), 0);
    const expected = Array.from(src, (_, p) => {
      const x = p % width;
      const y = Math.floor(p / width);
      return k.reduce((sum, w, i) => Math.fround(sum + w * alongX(x, Math.min(height - 1, Math.max(0, y + i - r)))), 0);
    });
    assert.deepEqual(Array.from(smoothAll(src, width, height, k)), expected);
    // A few pixels alone (the rows and columns smoothed along x are only those they reach).
    const out = new Float32Array(width * height);
    const listed = [4 * width + 5, 4 * width + 6, 5 * width + 12];
    smoothAt(src, width, height, k, listed, out);
    for (const p of listed) assert.equal(out[p], expected[p], `pixel ${p}`);
  }
});

test('clippedSigma ignores outliers', () => {
  const values: number[] = Array.from({ length: 1000 }, (_, i) => (i % 2 ? 1 : -1));
  values.push(500, 800);
  assert.ok(Math.abs(clippedSigma(values) - 1) < 1e-9);
});

test('connectedComponents: 8-connected, numbered by first pixel, smaller than minArea dropped', () => {
  // 0: a diagonal pair joined at a corner; 1: a U whose arms meet only at the bottom; a lone pixel.
  const rows = [
    '1.....1.1',
    '.1....1.1',
    '......111',
    '...1.....',
  ];
  const width = rows[0]!.length;
  const mask = Uint8Array.from(rows.join(''), (c) => (c === '1' ? 1 : 0));
  const all = connectedComponents(mask, width, rows.length);
  assert.equal(all.count, 3);
  assert.deepEqual(Array.from(all.pixels.subarray(all.offsets[0]!, all.offsets[1]!)), [0, 10]);
  assert.deepEqual(Array.from(all.pixels.subarray(all.offsets[1]!, all.offsets[2]!)), [6, 8, 15, 17, 24, 25, 26]);
  assert.deepEqual(Array.from(all.pixels.subarray(all.offsets[2]!, all.offsets[3]!)), [30]);
  const big = connectedComponents(mask, width, rows.length, 2);
  assert.equal(big.count, 2);
  assert.deepEqual(Array.from(big.offsets), [0, 2, 9]);
});
