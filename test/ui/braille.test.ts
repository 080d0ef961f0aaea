import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { starMask } from '../../src/analysis/star-mask.js';
import { STAR_MARK, brailleImage, brailleRuns, brailleThreshold, fitBraille, sparseStars, type BrailleSource } from '../../src/ui/braille.js';

/** A dark 8×8 image with the given bright pixels and stars (centres in its pixels). */
function image(bright: [number, number][], stars: { x: number; y: number }[] = []): BrailleSource {
  const data = new Uint8Array(64).fill(10);
  for (const [x, y] of bright) data[y * 8 + x] = 250;
  return { width: 8, height: 8, data, stars: starMask(8, 8, stars) };
}

describe('brailleImage', () => {
  test('maps each 2×4 block of dots to one braille cell', () => {
    const { lines } = brailleImage(image([[0, 0]]), 4, 2, { threshold: 100 });
    assert.deepEqual(lines, ['⠁⠀⠀⠀', '⠀⠀⠀⠀']);
    assert.equal(brailleImage(image([[1, 3]]), 4, 2, { threshold: 100 }).lines[0], '⢀⠀⠀⠀');
    assert.equal(brailleImage(image([[7, 7]]), 4, 2, { threshold: 100 }).lines[1], '⠀⠀⠀⢀');
  });

  test('a full-bright image fills every dot', () => {
    const data = new Uint8Array(64).fill(200);
    const { lines } = brailleImage({ width: 8, height: 8, data, stars: starMask(8, 8, []) }, 4, 2, { threshold: 100 });
    assert.deepEqual(lines, ['⣿⣿⣿⣿', '⣿⣿⣿⣿']);
  });

  test('shrinking keeps a single bright pixel (a dot takes the brightest pixel it covers)', () => {
    const { lines } = brailleImage(image([[5, 6]]), 1, 1, { threshold: 100 });
    assert.notEqual(lines[0], '⠀');
  });

  test('the default threshold comes from the luminance: a flat sky stays dark, a star shows', () => {
    assert.equal(brailleThreshold(new Uint8Array(100).fill(30)), 42);
    const flat = brailleImage({ width: 8, height: 8, data: new Uint8Array(64).fill(30), stars: starMask(8, 8, []) }, 4, 2);
    assert.deepEqual(flat.lines, ['⠀⠀⠀⠀', '⠀⠀⠀⠀']);
    const one = brailleImage(image([[2, 2]]), 4, 2);
    assert.equal(one.lines.join('').replaceAll('⠀', '').length, 1);
  });

  test('stars light their dot and mark their cell; with a mark character, it replaces the cell', () => {
    const stars = [{ x: 6.5, y: 1.2 }, { x: 6.9, y: 1.9 }, { x: 0.5, y: 7.5 }];
    const plain = brailleImage(image([], stars), 4, 2, { threshold: 100 });
    assert.deepEqual(plain.marks, [
      { col: 3, row: 0 },
      { col: 0, row: 1 },
    ]);
    assert.notEqual(plain.lines[0]![3], '⠀');
    const marked = brailleImage(image([], stars), 4, 2, { threshold: 100, mark: STAR_MARK });
    assert.deepEqual(marked.lines, [`⠀⠀⠀${STAR_MARK}`, `${STAR_MARK}⠀⠀⠀`]);
  });

  test('at its largest (2 dots a pixel each way), each star lights the dot its exact centre falls in', () => {
    // 8×8 pixels in 8×4 cells: 16×16 dots, the star mask's own grid.
    const { lines } = brailleImage(image([], [{ x: 0.1, y: 0.1 }, { x: 3.6, y: 2.2 }, { x: 7.9, y: 7.9 }]), 8, 4, { threshold: 100 });
    assert.deepEqual(lines, ['⠁⠀⠀⠀⠀⠀⠀⠀', '⠀⠀⠀⠈⠀⠀⠀⠀', '⠀⠀⠀⠀⠀⠀⠀⠀', '⠀⠀⠀⠀⠀⠀⠀⢀']);
  });

  test('every line has exactly cols characters', () => {
    const data = Uint8Array.from({ length: 64 * 32 }, (_, i) => (i * 37) % 256);
    const { lines } = brailleImage({ width: 64, height: 32, data, stars: starMask(64, 32, [{ x: 10, y: 10 }]) }, 17, 5);
    assert.equal(lines.length, 5);
    for (const line of lines) assert.equal([...line].length, 17);
  });

  test('runs split lines into star and non-star cells', () => {
    const picture = brailleImage(image([], [{ x: 2.5, y: 0.5 }]), 4, 2, { threshold: 100 });
    assert.deepEqual(brailleRuns(picture)[0]!.map((r) => r.star), [false, true, false]);
    assert.equal(brailleRuns(picture)[1]!.length, 1);
  });
});

describe('fitBraille', () => {
  test('keeps the aspect with square dots (a 2:1 image is 4 columns a row)', () => {
    assert.deepEqual(fitBraille(64, 32, 80, 8), { cols: 32, rows: 8 });
    assert.deepEqual(fitBraille(64, 32, 20, 8), { cols: 20, rows: 5 });
    assert.deepEqual(fitBraille(10, 1000, 5, 5), { cols: 1, rows: 5 });
  });

  test('sparse stars are few enough to draw as marks', () => {
    assert.equal(sparseStars(5, 32, 8), true);
    assert.equal(sparseStars(200, 32, 8), false);
  });
});
