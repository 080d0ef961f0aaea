import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clippedStats, fillCoveredCells, interpolateAt, interpolateMesh, medianFilterMesh, mesh } from '../../../src/analysis/sky/background.js';
import { mulberry32 } from '../../../src/sources/demo/sky.js';

test('clippedStats: a flat histogram of one value has that level', () => {
  const hist = new Uint32Array(256);
  hist[40] = 1000;
  const stats = clippedStats(hist);
  assert.equal(stats.level, 40);
  assert.equal(stats.sigma, 0.5); // never below half a grey level
  assert.equal(stats.kept, 1);
});

test('clippedStats: stars (a bright tail) are clipped away; the level is the sky\'s', () => {
  const hist = new Uint32Array(256);
  // Sky: 20 ± 1 (900 pixels: 225 at 19, 450 at 20, 225 at 21); stars: 100 pixels at 200.
  hist[19] = 225;
  hist[20] = 450;
  hist[21] = 225;
  hist[200] = 100;
  const stats = clippedStats(hist);
  assert.equal(stats.kept, 0.9);
  assert.ok(Math.abs(stats.level - 20) < 1e-9, `level ${stats.level}`);
  assert.ok(Math.abs(stats.sigma - Math.sqrt(0.5)) < 1e-9, `sigma ${stats.sigma}`);
});

test('clippedStats: the median within a bin, and the same after a longer histogram used the scratch', () => {
  const skewed = new Uint32Array(64);
  hist3(skewed);
  const before = clippedStats(skewed);
  // 10 + 20 + 30 pixels at 30, 31, 32: the 30th pixel ends bin 31, the median is at its top edge.
  assert.ok(Math.abs(before.level - (2.5 * 31.5 - 1.5 * (30 * 10 + 31 * 20 + 32 * 30) / 60)) < 1e-9, `level ${before.level}`);
  const long = new Uint32Array(4096);
  long.fill(3);
  clippedStats(long);
  assert.deepEqual(clippedStats(skewed), before);
});

function hist3(hist: Uint32Array): void {
  hist[30] = 10;
  hist[31] = 20;
  hist[32] = 30;
}

test('fillCoveredCells: a cell mostly under a large object takes its good neighbours\' mean', () => {
  const good = (level: number) => ({ level, sigma: 2, kept: 0.95 });
  const cells = [good(10), good(20), good(30), { level: 99, sigma: 9, kept: 0.2 }];
  assert.deepEqual(fillCoveredCells(cells, 2, 2)[3], { level: 20, sigma: 2, kept: 0.2 });
});

test('medianFilterMesh: one bright cell among dark ones is removed; a size of 1 changes nothing', () => {
  const values = Float64Array.from([1, 1, 1, 1, 50, 1, 1, 1, 1]);
  assert.deepEqual(Array.from(medianFilterMesh(values, 3, 3, 3)), [1, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.deepEqual(Array.from(medianFilterMesh(values, 3, 3, 1)), Array.from(values));
});

test('medianFilterMesh: every cell the median of its window (edges: 4 or 6 cells, the mean of the middle two)', () => {
  const random = mulberry32(7);
  const columns = 7;
  const rows = 5;
  const values = Float64Array.from({ length: columns * rows }, () => Math.round(random() * 20) / 4);
  for (const size of [3, 5]) {
    const half = size >> 1;
    const expected = Array.from(values, (_, k) => {
      const window: number[] = [];
      for (let y = Math.max(0, Math.floor(k / columns) - half); y <= Math.min(rows - 1, Math.floor(k / columns) + half); y++) {
        for (let x = Math.max(0, (k % columns) - half); x <= Math.min(columns - 1, (k % columns) + half); x++) window.push(values[y * columns + x]!);
      }
      window.sort((a, b) => a - b);
      const m = window.length >> 1;
      return window.length % 2 ? window[m]! : (window[m - 1]! + window[m]!) / 2;
    });
    assert.deepEqual(Array.from(medianFilterMesh(values, columns, rows, size)), expected);
  }
  assert.deepEqual(Array.from(medianFilterMesh(Float64Array.from([4, 1, 3, 2]), 2, 2, 3)), [2.5, 2.5, 2.5, 2.5]);
});

test('interpolateMesh: linear between cell centres, flat beyond the outer ones', () => {
  // Two cells over 8 pixels: centres at 1.5 and 5.5.
  const out = interpolateMesh(Float64Array.from([0, 8]), 2, 1, 8, 1);
  assert.deepEqual(Array.from(out), [0, 0, 1, 3, 5, 7, 8, 8]);
});

test('interpolateMesh: one cell is flat; cells of uneven widths interpolate span by span', () => {
  assert.deepEqual(Array.from(interpolateMesh(Float64Array.from([5]), 1, 1, 4, 2)), [5, 5, 5, 5, 5, 5, 5, 5]);
  // Three cells over 10 pixels (0–2, 3–5, 6–9): centres at 1, 4 and 7.5.
  const out = interpolateMesh(Float64Array.from([0, 6, 13]), 3, 1, 10, 1);
  assert.deepEqual(Array.from(out), [0, 0, 2, 4, 6, 8, 10, 12, 13, 13]);
});

test('interpolateAt: at every pixel, exactly what interpolateMesh stores there', () => {
  const values = Float64Array.from([3.3, 7.1, 0.2, 9.9, 4.4, 1.7]);
  const whole = interpolateMesh(values, 3, 2, 11, 7);
  const m = mesh(values, 3, 2, 11, 7);
  const at = Array.from({ length: 77 }, (_, p) => interpolateAt(m, p % 11, Math.floor(p / 11)));
  assert.deepEqual(at, Array.from(whole));
  assert.notDeepEqual(new Set(at).size, 1);
});

/** clippedStats as first written: every iteration sums lo…hi afresh and walks to the median. */
function clippedStatsReference(hist: Uint32Array): { level: number; sigma: number; kept: number } {
  let total = 0;
  for (const c of hist) total += c;
  if (total === 0) return { level: 0, sigma: 0.5, kept: 0 };
  let lo = 0;
  let hi = hist.length - 1;
  let mean = 0;
  let median = 0;
  let sigma = 0;
  let n = 0;
  for (let iteration = 0; iteration < 30; iteration++) {
    n = 0;
    let sum = 0;
    let sum2 = 0;
    for (let v = lo; v <= hi; v++) {
      n += hist[v]!;
      sum += hist[v]! * v;
      sum2 += hist[v]! * v * v;
    }
    mean = sum / n;
    sigma = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
    median = hi;
    for (let v = lo, before = 0; v <= hi; before += hist[v]!, v++) {
      if (before + hist[v]! >= n / 2) {
        if (hist[v]! > 0) median = v - 0.5 + (n / 2 - before) / hist[v]!;
        break;
      }
    }
    const nextLo = Math.max(0, Math.ceil(median - 3 * sigma));
    const nextHi = Math.min(hist.length - 1, Math.floor(median + 3 * sigma));
    if ((nextLo === lo && nextHi === hi) || nextHi < nextLo) break;
    lo = nextLo;
    hi = nextHi;
  }
  const level = sigma > 0 && Math.abs(mean - median) < 0.3 * sigma ? 2.5 * median - 1.5 * mean : median;
  return { level, sigma: Math.max(0.5, sigma), kept: n / total };
}

test('clippedStats: exactly what summing each clipped range afresh gives, on skies with stars, skews and gaps', () => {
  const random = mulberry32(5);
  for (let trial = 0; trial < 400; trial++) {
    const hist = new Uint32Array(16 + Math.floor(random() * 600));
    const centre = random() * hist.length * 0.6;
    const spread = 0.3 + random() * 20;
    const pixels = 1 + Math.floor(random() * 1500);
    for (let i = 0; i < pixels; i++) {
      // A Gaussian sky, a bright tail (stars) and, now and then, a second hump (a nebula's edge).
      const u = random();
      const v = u < 0.8 ? centre + spread * Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random())
        : u < 0.9 ? centre + spread * (3 + 30 * random()) : centre + spread * 4 + spread * random();
      hist[Math.max(0, Math.min(hist.length - 1, Math.round(v)))]!++;
    }
    assert.deepEqual(clippedStats(hist), clippedStatsReference(hist), `trial ${trial}`);
  }
});
