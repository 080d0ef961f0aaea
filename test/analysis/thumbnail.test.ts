import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { serialize } from 'node:v8';
import { maskedStars, starMask } from '../../src/analysis/star-mask.js';
import { makeThumbnail, starThumbnail } from '../../src/analysis/thumbnail.js';

describe('makeThumbnail', () => {
  test('fits the box keeping the aspect ratio, averaging the pixels each one covers', () => {
    // 4×2 image: left half 0 and 100, right half 200 and 250.
    const data = Uint8Array.from([0, 100, 200, 250, 0, 100, 200, 250]);
    const thumb = makeThumbnail({ data, width: 4, height: 2 }, [{ x: 3, y: 1, size: 2 }], { width: 2, height: 2 });
    assert.deepEqual([thumb.width, thumb.height], [2, 1]);
    assert.deepEqual(thumb.data, Uint8Array.from([50, 225]));
    // The keypoint's centre (1.5, 0.5) in thumbnail pixels: cell (3, 1) of the 4×2-cell mask.
    assert.deepEqual(thumb.stars, Uint8Array.from([0b1000_0000]));
  });

  test('marks each keypoint\'s centre, scaled onto the thumbnail, in its star mask', () => {
    const keypoints = [{ x: 0, y: 0, size: 3 }, { x: 999, y: 871, size: 3 }, { x: 500, y: 436, size: 27 }];
    const thumb = makeThumbnail({ data: new Uint8Array(1000 * 872), width: 1000, height: 872 }, keypoints);
    assert.deepEqual([...maskedStars(thumb.stars, thumb.width, thumb.height)], [
      { x: 0.25, y: 0.25 },
      { x: 18.75, y: 16.25 }, // 500 × 37/1000 = 18.5, 436 × 32/872 = 16
      { x: 36.75, y: 31.75 },
    ]);
  });

  test('is the same size with 8,000 stars as with 10: the run keeps it to its end', () => {
    const image = { data: new Uint8Array(2048 * 1024), width: 2048, height: 1024 };
    const stars = (n: number) => Array.from({ length: n }, (_, i) => ({ x: (i * 7919) % 2048, y: (i * 104_729) % 1024, size: 4 }));
    // As it crosses from the worker (structured clone), and as the run state holds it.
    const sizes = [10, 8000].map((n) => {
      const thumb = makeThumbnail(image, stars(n));
      return [serialize(thumb).length, thumb.stars.byteLength];
    });
    assert.deepEqual(sizes[1], sizes[0]);
    assert.deepEqual(sizes[0]![1], 1024);
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
    assert.deepEqual(thumb.stars, starMask(37, 32, [{ x: 18.5, y: 16 }]));
    assert.deepEqual([...maskedStars(thumb.stars, 37, 32)], [{ x: 18.75, y: 16.25 }]);
  });
});
