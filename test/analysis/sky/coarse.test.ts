import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mesh } from '../../../src/analysis/sky/background.js';
import { binSmooth, capNoise, cellStats, COARSE_SCALE, coarseMask, coarseSigma, coarseSky, type Coarse } from '../../../src/analysis/sky/coarse.js';
import { noiseRatios } from '../../../src/analysis/sky/patch.js';
import { mulberry32 } from '../../../src/sources/demo/sky.js';

test('binSmooth: 2×2 sums smoothed with [1 2 1] both ways, edges repeated, total ×16', () => {
  const data = new Uint8Array(16);
  data[0] = 1;
  // Sums [[1, 0], [0, 0]]; along x (edge repeated) [[3, 1], [0, 0]]; along y [[9, 3], [3, 1]].
  assert.deepEqual(binSmooth({ data, width: 4, height: 4 }), { data: Uint16Array.from([9, 3, 3, 1]), width: 2, height: 2 });
  // Four rows: each output row from the rows above and below it, the edges repeated.
  const tall = new Uint8Array(4 * 8);
  tall[0] = 1;
  tall[5 * 4] = 1; // coarse row 2
  // Along x, rows [3, 1], [0, 0], [3, 1], [0, 0]; along y (row -1 = row 0, row 4 = row 3):
  assert.deepEqual(Array.from(binSmooth({ data: tall, width: 4, height: 8 }).data), [9, 3, 6, 2, 6, 2, 3, 1]);
  // An odd last column and row are left out; a flat image stays flat at 64 × its grey level.
  const flat = binSmooth({ data: new Uint8Array(5 * 3).fill(10), width: 5, height: 3 });
  assert.deepEqual(flat, { data: Uint16Array.from([640, 640]), width: 2, height: 1 });
});

test('binSmooth: on random images of odd and tiny sizes, exactly the 2×2 sums convolved with [1 2 1]², edges repeated', () => {
  const random = mulberry32(3);
  for (const [width, height] of [[2, 2], [3, 7], [4, 2], [9, 6], [17, 11]] as const) {
    const data = Uint8Array.from({ length: width * height }, () => Math.floor(random() * 256));
    const w = width >> 1;
    const h = height >> 1;
    const sum = (x: number, y: number): number => {
      const u = 2 * Math.min(w - 1, Math.max(0, x));
      const v = 2 * Math.min(h - 1, Math.max(0, y));
      return data[v * width + u]! + data[v * width + u + 1]! + data[(v + 1) * width + u]! + data[(v + 1) * width + u + 1]!;
    };
    const taps = [1, 2, 1];
    const expected = Array.from({ length: w * h }, (_, p) => {
      let total = 0;
      for (let j = -1; j <= 1; j++) for (let i = -1; i <= 1; i++) total += taps[j + 1]! * taps[i + 1]! * sum((p % w) + i, Math.floor(p / w) + j);
      return total;
    });
    assert.deepEqual(Array.from(binSmooth({ data, width, height }).data), expected, `${width}×${height}`);
  }
});

test('cellStats: each cell\'s clipped level in the values\' units; a star\'s pixels drop out', () => {
  const values = new Uint16Array(8 * 4).fill(100);
  values[5] = 4000; // a star in the second cell
  values[6] = 3000;
  const cells = cellStats(values, 8, 4, 2, 1, 2);
  // Bin 25 holds 100…103: its centre is 101.5.
  assert.deepEqual(cells.map((c) => c.level), [101.5, 101.5]);
  assert.deepEqual(cells.map((c) => c.kept), [1, 14 / 16]);
});

test('coarseMask: above k·σ of the sky only, each pixel with its own level and σ', () => {
  const coarse: Coarse = {
    width: 4,
    height: 1,
    smoothed: Uint16Array.from([101, 105, 106, 106]),
    level: Float32Array.from([100, 100, 100, 100]),
    // One cell per pixel: each pixel's σ is its cell's.
    sigma: mesh(Float64Array.from([1, 1, 1, 2]), 4, 1, 4, 1),
  };
  assert.deepEqual(Array.from(coarseMask(coarse, 5)), [0, 0, 1, 0]);
  // Two rows, σ interpolated between them row by row: 1 on the first, 3 on the second.
  const rows: Coarse = {
    width: 2,
    height: 2,
    smoothed: Uint16Array.from([104, 104, 108, 120]),
    level: new Float32Array(4).fill(100),
    sigma: mesh(Float64Array.from([1, 3]), 1, 2, 2, 2),
  };
  assert.deepEqual(Array.from(coarseMask(rows, 3)), [1, 1, 0, 1]);
  assert.deepEqual([0, 1, 2, 3].map((b) => coarseSigma(rows, b)), [1, 1, 3, 3]);
});

test('coarseSky follows a gradient and measures the noise, not the slope', () => {
  const width = 512;
  const height = 256;
  const rng = mulberry32(5);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const noise = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()) * 3;
      data[y * width + x] = Math.round(30 + (20 * x) / width + noise);
    }
  }
  const coarse = coarseSky({ data, width, height }, 32, 3);
  const ratios = noiseRatios({ data, width, height }, coarse);
  for (const x of [80, 256, 440]) {
    const b = 64 * coarse.width + (x >> 1);
    const expected = 30 + (20 * (x + 0.5)) / width;
    assert.ok(Math.abs(coarse.level[b]! / COARSE_SCALE - expected) < 0.5, `level at ${x}: ${coarse.level[b]! / COARSE_SCALE} for ${expected}`);
    const sigma = (coarseSigma(coarse, b) / COARSE_SCALE) * ratios.raw;
    assert.ok(Math.abs(sigma - 3) < 0.3, `raw sigma at ${x}: ${sigma}`);
  }
  // White noise: the detection image's σ is 12/64 of the raw one's.
  assert.ok(Math.abs(ratios.raw - 64 / 12) < 0.4, `raw ratio ${ratios.raw}`);
});

test('capNoise: no cell\'s σ above 10 × the median cell\'s (a crowded core\'s spread is its stars)', () => {
  assert.deepEqual(Array.from(capNoise(Float64Array.from([1, 2, 2, 3, 50, 19]))), [1, 2, 2, 3, 30, 19]);
});
