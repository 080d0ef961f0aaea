import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import type { Cell } from './replay.js';
import { rowSvg, screenSvg, windowSize } from './screen-svg.js';

const plain: Cell = { char: ' ', fg: { kind: 'default' }, bg: { kind: 'default' }, bold: false, dim: false, italic: false, underline: false, inverse: false };
const cells = (text: string, style: Partial<Cell> = {}): Cell[] => [...text].map((char) => ({ ...plain, ...style, char }));

test('a row: text in runs of one style, a position for every character, XML escaped', () => {
  const row = [...cells('a<b', { fg: { kind: 'palette', index: 2 }, bold: true }), ...cells(' c')];
  assert.equal(
    rowSvg(row),
    '<text x="0 8.4 16.8" y="13.5" fill="#13a10e" font-weight="bold">a&lt;b</text><text x="33.6" y="13.5" fill="#cccccc">c</text>',
  );
});

test('backgrounds are one rectangle a run; inverse swaps the colours; 256 colours and RGB', () => {
  const row = [...cells('ab', { bg: { kind: 'palette', index: 1 } }), ...cells('c', { inverse: true }), ...cells('d', { fg: { kind: 'palette', index: 196 } }), ...cells('e', { fg: { kind: 'rgb', rgb: 0x0a0b0c } })];
  assert.equal(
    rowSvg(row),
    '<rect x="0" width="16.8" height="18" fill="#c50f1f"/><rect x="16.8" width="8.4" height="18" fill="#cccccc"/>' +
      '<text x="0 8.4" y="13.5" fill="#cccccc">ab</text><text x="16.8" y="13.5" fill="#0c0c0c">c</text>' +
      '<text x="25.2" y="13.5" fill="#ff0000">d</text><text x="33.6" y="13.5" fill="#0a0b0c">e</text>',
  );
});

test('a rule of box lines and a bar of blocks are drawn as one rectangle each, crisp; braille as dots', () => {
  const svg = rowSvg([...cells('───', { fg: { kind: 'palette', index: 8 } }), ...cells('██⠁', { fg: { kind: 'palette', index: 3 } })]);
  assert.equal(
    svg,
    '<g fill="#767676" shape-rendering="crispEdges"><rect x="0" y="8.48" width="25.2" height="1.05"/></g>' +
      '<g fill="#c19c00" shape-rendering="crispEdges"><rect x="25.2" y="0" width="16.8" height="18"/></g><g fill="#c19c00"><circle cx="44.1" cy="2.25" r="1.58"/></g>',
  );
});

test('a screen renders to a PNG of the window\'s size', async () => {
  const screen = { columns: 10, rows: 2, time: 0, cells: [cells('✦ star ━━╸'), cells('⣿⣿ █▅▂ ok')] };
  const svg = screenSvg(screen, 'title');
  const { width, height } = windowSize(10, 2);
  assert.deepEqual([width, height], [112, 94]);
  const meta = await sharp(await sharp(Buffer.from(svg)).png().toBuffer()).metadata();
  assert.deepEqual([meta.format, meta.width, meta.height], ['png', width, height]);
});
