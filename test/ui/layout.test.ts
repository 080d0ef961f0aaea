import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cellGrid, dashboardLayout, pageSize, paneParts, previewSize } from '../../src/ui/layout.js';

const lines = (l: ReturnType<typeof dashboardLayout>): number => l.header + (l.cpu > 0 ? l.cpu + 1 : 0) + l.listBlock + l.footer + (l.pane?.placement === 'below' ? l.pane.height : 0);

describe('dashboardLayout', () => {
  test('80×24: header, a compact CPU panel, the list in the rest, no preview', () => {
    const l = dashboardLayout(80, 24, 16);
    assert.deepEqual(l, { header: 3, cpu: 4, listBlock: 15, listWidth: 80, footer: 1 });
  });

  test('a page is the task rows on screen', () => {
    assert.equal(pageSize(80, 24, 16), 14);
    assert.equal(pageSize(80, 3, 16), 1);
  });

  test('wide terminals put the preview and histogram beside the list', () => {
    const l = dashboardLayout(160, 45, 8);
    assert.equal(l.pane?.placement, 'right');
    assert.equal(l.listWidth + 2 + l.pane!.width, 160);
    assert.equal(l.pane!.height, l.listBlock);
    assert.equal(l.cpu, 4, '8 cores in 2 columns of 4 rather than 7 + 1');
  });

  test('tall narrow terminals put them under the list', () => {
    const l = dashboardLayout(100, 50, 4);
    assert.equal(l.pane?.placement, 'below');
    assert.equal(l.pane!.width, 100);
  });

  test('adds up to exactly the height, for every size', () => {
    for (let h = 0; h <= 70; h++) {
      for (const w of [20, 80, 119, 120, 200]) {
        for (const cores of [0, 1, 2, 8, 64]) {
          const l = dashboardLayout(w, h, cores);
          assert.equal(lines(l), h, `${w}×${h}, ${cores} cores`);
          assert.ok(l.listBlock >= 0 && l.listWidth <= w);
        }
      }
    }
  });

  test('the pane splits between a preview sized to its picture and the histogram', () => {
    const right = paneParts({ placement: 'right', width: 58, height: 35 }, 14);
    assert.deepEqual(right, { preview: { width: 58, height: 16 }, histogram: { width: 58, height: 19 } });
    const below = paneParts({ placement: 'below', width: 100, height: 12 }, 14);
    assert.equal(below.preview.width + 2 + below.histogram.width, 100);
    assert.equal(below.preview.height, 12);
  });

  test('the preview is at most twice the thumbnail resolution, aspect kept', () => {
    assert.deepEqual(previewSize({ width: 64, height: 32 }, 200, 40), { cols: 64, rows: 16 });
    assert.deepEqual(previewSize({ width: 64, height: 32 }, 42, 40), { cols: 40, rows: 10 });
  });

  test('cellGrid spreads cells over columns within the rows', () => {
    assert.deepEqual(cellGrid(16, 4, 48), { rows: 4, columns: 4, cellWidth: 12 });
    assert.deepEqual(cellGrid(2, 4, 48), { rows: 2, columns: 1, cellWidth: 48 });
    assert.deepEqual(cellGrid(0, 4, 48), { rows: 1, columns: 1, cellWidth: 48 });
  });
});
