import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeThumbnail, starThumbnail } from '../../src/analysis/thumbnail.js';

describe('makeThumbnail', () => {
  test('fits the box keeping the aspect ratio, averaging the pixels each one covers', () => {
    // 4×2 image: left half 0 and 100, right half 200 and 250.
    const data = Uint8Array.from([0, 100, 200, 250, 0, 100, 200, 250]);
    const thumb = makeThumbnail({ data, width: 4, height: 2 }, [{ x: 3, y: 1, size: 2 }], { width: 2, height: 2 });
    assert.deepEqual([thumb.width, thumb.height], [2, 1]);
    assert.deepEqual(thumb.data, Uint8Array.from([50, 225]));
    assert.deepEqual(thumb.stars, [{ x: 1.5, y: 0.5, r: 0.5 }]);
  });

  test('a 1000×872 image becomes 37×32 within the default 64×32 box', () => {
    const thumb = makeThumbnail({ data: new Uint8Array(1000 * 872), width: 1000, height: 872 }, []);
    assert.deepEqual([thumb.width, thumb.height, thumb.data.length], [37, 32, 37 * 32]);
  });

  test('small images are not enlarged, and a 1-pixel-tall strip stays at least 1 pixel', () => {
    const small = makeThumbnail({ data: new Uint8Array(12), width: 4, height: 3 }, []);
    assert.deepEqual([small.width, small.height], [4, 3]);
    const strip = makeThumbnail({ data: new Uint8Array(5000), width: 5000, height: 1 }, []);
    assert.deepEqual([strip.width, strip.height], [64, 1]);
  });
});

describe('starThumbnail', () => {
  test('the size makeThumbnail gives, black, with the stars scaled onto it', () => {
    const thumb = starThumbnail({ width: 1000, height: 872 }, [{ x: 500, y: 436, size: 27 }]);
    assert.deepEqual([thumb.width, thumb.height], [37, 32]);
    assert.deepEqual(thumb.data, new Uint8Array(37 * 32));
    assert.deepEqual(thumb.stars, [{ x: 18.5, y: 16, r: 0.4995 }]);
  });
});
