import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { maskedStars, starMask, starMaskBytes, STAR_MASK_SCALE } from '../../src/analysis/star-mask.js';

describe('starMask', () => {
  test('2 cells a pixel each way, 8 cells a byte: 1 KiB for a 64×32 picture, whatever its stars', () => {
    assert.equal(STAR_MASK_SCALE, 2);
    assert.equal(starMaskBytes(64, 32), 1024);
    assert.equal(starMask(64, 32, []).length, 1024);
    // 3×1 pixels: 6×2 cells, 12 bits in 2 bytes.
    assert.equal(starMaskBytes(3, 1), 2);
  });

  test('each point sets the bit of its cell: row-major, lowest bit first', () => {
    // A 4×2 picture: 8×4 cells, one byte a row of cells.
    const mask = starMask(4, 2, [
      { x: 0, y: 0 }, // cell (0, 0): byte 0, bit 0
      { x: 0.49, y: 0.2 }, // the same cell
      { x: 0.5, y: 0 }, // cell (1, 0): byte 0, bit 1
      { x: 3.99, y: 0.5 }, // cell (7, 1): byte 1, bit 7
      { x: 1.25, y: 1.75 }, // cell (2, 3): byte 3, bit 2
    ]);
    assert.deepEqual(mask, Uint8Array.from([0b0000_0011, 0b1000_0000, 0, 0b0000_0100]));
  });

  test('points on or past an edge, negative or not numbers are left out', () => {
    const outside = [{ x: 4, y: 0 }, { x: 0, y: 2 }, { x: -0.01, y: 1 }, { x: 1, y: -3 }, { x: Number.NaN, y: 1 }, { x: 1, y: Number.POSITIVE_INFINITY }];
    assert.deepEqual(starMask(4, 2, outside), new Uint8Array(4));
  });
});

describe('maskedStars', () => {
  test('gives each marked cell\'s centre in picture pixels, row by row', () => {
    const mask = starMask(4, 2, [{ x: 1.25, y: 1.75 }, { x: 3.99, y: 0.5 }, { x: 0, y: 0 }, { x: 0.2, y: 0.1 }]);
    assert.deepEqual([...maskedStars(mask, 4, 2)], [
      { x: 0.25, y: 0.25 },
      { x: 3.75, y: 0.75 },
      { x: 1.25, y: 1.75 },
    ]);
  });

  test('the last byte\'s spare bits and bytes past the mask are not stars', () => {
    // 3×1 pixels: 6×2 cells in 2 bytes; the second byte holds the second row's last 4 cells, then 4 spare bits.
    const mask = Uint8Array.from([0, 0xff, 0xff]);
    assert.deepEqual([...maskedStars(mask, 3, 1)], [
      { x: 1.25, y: 0.75 },
      { x: 1.75, y: 0.75 },
      { x: 2.25, y: 0.75 },
      { x: 2.75, y: 0.75 },
    ]);
    assert.deepEqual([...maskedStars(new Uint8Array(0), 3, 1)], []);
  });

  test('every cell marked comes back once, in order', () => {
    const cells = Array.from({ length: 6 * 4 }, (_, i) => ({ x: ((i % 6) + 0.5) / 2, y: (Math.floor(i / 6) + 0.5) / 2 }));
    assert.deepEqual([...maskedStars(starMask(3, 2, cells), 3, 2)], cells);
  });
});
