import assert from 'node:assert/strict';
import { test } from 'node:test';
import { glyphShapes } from './glyphs.js';

const cell = { x: 10, y: 0, w: 8, h: 16 };

test('braille: each set bit is its dot, in the 2×4 grid (dots 1–3 and 7 left, 4–6 and 8 right)', () => {
  assert.deepEqual(glyphShapes('⠀', cell), []);
  assert.deepEqual(glyphShapes('⠁', cell), [{ kind: 'dot', x: 12, y: 2, r: 1.5 }]);
  assert.deepEqual(glyphShapes('⢀', cell), [{ kind: 'dot', x: 16, y: 14, r: 1.5 }]);
  assert.deepEqual(
    glyphShapes('⣿', cell)?.map((shape) => [shape.x, shape.y]),
    [[12, 2], [12, 6], [12, 10], [16, 2], [16, 6], [16, 10], [12, 14], [16, 14]],
  );
});

test('blocks fill their part of the cell: eighths from the bottom, from the left, halves, shades', () => {
  assert.deepEqual(glyphShapes('█', cell), [{ kind: 'rect', x: 10, y: 0, w: 8, h: 16, opacity: 1 }]);
  assert.deepEqual(glyphShapes('▁', cell), [{ kind: 'rect', x: 10, y: 14, w: 8, h: 2, opacity: 1 }]);
  assert.deepEqual(glyphShapes('▋', cell), [{ kind: 'rect', x: 10, y: 0, w: 5, h: 16, opacity: 1 }]);
  assert.deepEqual(glyphShapes('▀', cell), [{ kind: 'rect', x: 10, y: 0, w: 8, h: 8, opacity: 1 }]);
  assert.deepEqual(glyphShapes('░', cell), [{ kind: 'rect', x: 10, y: 0, w: 8, h: 16, opacity: 0.25 }]);
  assert.deepEqual(glyphShapes('▚', cell), [
    { kind: 'rect', x: 10, y: 0, w: 4, h: 8, opacity: 1 },
    { kind: 'rect', x: 14, y: 8, w: 4, h: 8, opacity: 1 },
  ]);
});

test('box lines run from edge to edge through the middle, heavy ones thicker; corners join', () => {
  assert.deepEqual(glyphShapes('─', cell), [
    { kind: 'rect', x: 10, y: 7.5, w: 4, h: 1, opacity: 1 },
    { kind: 'rect', x: 14, y: 7.5, w: 4, h: 1, opacity: 1 },
  ]);
  assert.deepEqual(glyphShapes('╸', cell), [{ kind: 'rect', x: 10, y: 6.75, w: 4, h: 2.5, opacity: 1 }]);
  assert.deepEqual(glyphShapes('┌', cell), [
    { kind: 'rect', x: 13.5, y: 7.5, w: 4.5, h: 1, opacity: 1 },
    { kind: 'rect', x: 13.5, y: 7.5, w: 1, h: 8.5, opacity: 1 },
  ]);
});

test('everything else is left to the font', () => {
  for (const char of ['a', '✦', '✓', '↓', '…', ' ']) assert.equal(glyphShapes(char, cell), undefined);
});
