import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brightestFirst, Deblender } from '../../../src/analysis/sky/deblend.js';
import { mulberry32 } from '../../../src/sources/demo/sky.js';

const width = 40;
const height = 20;

/** Two round Gaussian peaks on a flat zero, of heights a and b, `gap` pixels apart on row 10. */
function pair(a: number, b: number, gap: number): { values: Float32Array; pixels: number[]; left: number; right: number } {
  const values = new Float32Array(width * height);
  const left = 20 - Math.floor(gap / 2);
  const right = left + gap;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      values[y * width + x] = a * Math.exp(-((x - left) ** 2 + (y - 10) ** 2) / 8) + b * Math.exp(-((x - right) ** 2 + (y - 10) ** 2) / 8);
    }
  }
  const pixels = Array.from({ length: width * height }, (_, p) => p); // one component: the whole image
  return { values, pixels, left: 10 * width + left, right: 10 * width + right };
}

const options = { threshold: 3, contrast: 0.01, shareSigma: 2 };
const noise = new Float32Array(width * height).fill(1);

test('two stars well apart in one component: both peaks, the brighter first', () => {
  const { values, pixels, left, right } = pair(50, 100, 10);
  assert.deepEqual(new Deblender(values, noise, width, height, options).peaks(pixels), [right, left]);
});

test('a bump that does not rise threshold·σ above the saddle is no star of its own', () => {
  const { values, pixels, right } = pair(100, 100, 10);
  // Lower the noise's σ: the same pair splits; raise it: one star.
  assert.equal(new Deblender(values, noise, width, height, options).peaks(pixels).length, 2);
  const loud = new Float32Array(width * height).fill(40);
  const peaks = new Deblender(values, loud, width, height, options).peaks(pixels);
  assert.equal(peaks.length, 1);
  assert.ok(peaks[0] === right || peaks[0] === right - 10, `peak ${peaks[0]}`);
});

test('a peak under the contrast share of its brighter neighbour\'s height is merged', () => {
  const { values, pixels } = pair(100, 6, 12);
  assert.equal(new Deblender(values, noise, width, height, options).peaks(pixels).length, 2);
  assert.equal(new Deblender(values, noise, width, height, { ...options, contrast: 0.5 }).peaks(pixels).length, 1);
});

test('peaks can be asked again: the flooding leaves no state behind', () => {
  const { values, pixels } = pair(50, 100, 10);
  const deblender = new Deblender(values, noise, width, height, options);
  assert.deepEqual(deblender.peaks(pixels), deblender.peaks(pixels));
});

test('deblenders share their scratch: one component\'s flooding leaves nothing for the next', () => {
  const { values, pixels, left, right } = pair(50, 100, 10);
  const leftHalf = pixels.filter((p) => p % width < 18);
  assert.deepEqual(new Deblender(values, noise, width, height, options).peaks(pixels), [right, left]);
  // Had the first flood left its marks, the right star's pixels would join the left half's flood.
  assert.deepEqual(new Deblender(values, noise, width, height, options).peaks(leftHalf), [left]);
  const wide = new Float32Array(4 * width * height);
  wide.set(values);
  assert.deepEqual(new Deblender(wide, new Float32Array(wide.length).fill(1), width, 4 * height, options).peaks(pixels), [right, left]);
});

test('one star: its one peak, on a flat top the first pixel of it, as the flood would give', () => {
  const { values, pixels, left } = pair(100, 0, 10);
  assert.deepEqual(new Deblender(values, noise, width, height, options).peaks(pixels), [left]);
  values[left + 1] = values[left]!; // a top two pixels wide: the flood starts at the lower index
  values[left + width] = values[left]!;
  assert.deepEqual(new Deblender(values, noise, width, height, options).peaks(pixels), [left]);
  values[left - 1] = values[left]!;
  assert.deepEqual(new Deblender(values, noise, width, height, options).peaks(pixels), [left - 1]);
});

test('share: each pixel goes to the star whose light is strongest there', () => {
  const { values, pixels, left, right } = pair(100, 100, 10);
  const owner = new Int32Array(width * height).fill(-1);
  new Deblender(values, noise, width, height, options).share(pixels, [left, right], owner, 7);
  assert.equal(owner[left], 7);
  assert.equal(owner[right], 8);
  assert.equal(owner[10 * width + 17], 7);
  assert.equal(owner[10 * width + 23], 8);
  const single = new Int32Array(width * height).fill(-1);
  new Deblender(values, noise, width, height, options).share(pixels, [left], single, 3);
  assert.ok(pixels.every((p) => single[p] === 3));
});

test('brightestFirst orders pixels as the comparator would: the brightest first, ties by index, negatives last', () => {
  const rng = mulberry32(3);
  const values = Float32Array.from({ length: 5000 }, () => Math.round((rng() - 0.3) * 40) / 4);
  values[7] = 1e-30;
  values[8] = -1e-30;
  values[9] = -0;
  const pixels = Array.from({ length: 3000 }, () => Math.floor(rng() * values.length));
  assert.deepEqual(brightestFirst(values, pixels), pixels.slice().sort((a, b) => values[b]! - values[a]! || a - b));
  assert.deepEqual(brightestFirst(values, [8, 7, 3]), [7, 8, 3].sort((a, b) => values[b]! - values[a]! || a - b));
});

test('interior: a component clear of the frame\'s edges gives the same peaks without the edge tests', () => {
  const random = mulberry32(9);
  for (let trial = 0; trial < 20; trial++) {
    const { values } = pair(60 + 40 * random(), 30 + 60 * random(), 3 + Math.floor(8 * random()));
    for (let p = 0; p < values.length; p++) values[p]! += 2 * random(); // noise: several seeds to flood from
    const inner = Array.from(values.keys()).filter((p) => p % width >= 1 && p % width < width - 1 && p >= width && p < (height - 1) * width);
    const deblender = new Deblender(values, noise, width, height, options);
    assert.deepEqual(deblender.peaks(inner, true), deblender.peaks(inner), `trial ${trial}`);
  }
});

test('a faint star on a bright one\'s wing, too little above the saddle, stands on its own above the star\'s mirrored light', () => {
  /** A star of height 100 at (13.3, 10) and lumps of height 10, 7.7 px from it along the row. */
  const blend = (lumps: number[]): { values: Float32Array; pixels: number[] } => {
    const values = new Float32Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        values[y * width + x] = [13.3, ...lumps].reduce((sum, cx, i) => sum + (i === 0 ? 100 : 10) * Math.exp(-((x - cx) ** 2 + (y - 10) ** 2) / 8), 0);
      }
    }
    return { values, pixels: Array.from({ length: width * height }, (_, p) => p) };
  };
  const mirrored = { ...options, mirrorThreshold: 5 };
  const { values, pixels } = blend([21]);
  // It rises 2.3σ above the saddle: under the 3σ a peak needs there.
  assert.equal(new Deblender(values, noise, width, height, options).peaks(pixels).length, 1);
  assert.deepEqual(new Deblender(values, noise, width, height, mirrored).peaks(pixels), [10 * width + 13, 10 * width + 21]);
  // Not when the bright star is clipped (its smoothed top is no centre to mirror through)…
  const raw = { data: new Uint8Array(width * height), saturation: 250 };
  raw.data[10 * width + 13] = 255;
  assert.equal(new Deblender(values, noise, width, height, { ...mirrored, raw }).peaks(pixels).length, 1);
  // …nor when the same light lies on the far side (a halo's ring, a spike): the star's own.
  const ring = blend([21, 5.6]);
  assert.equal(new Deblender(ring.values, noise, width, height, mirrored).peaks(ring.pixels).length, 1);
});
