import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { processedName, safeStem } from '../../src/orchestrator/naming.js';

describe('processedName', () => {
  test('JPEG inputs give .jpg, everything else .png', () => {
    const names = ['a.jpg', 'b.JPEG', 'c.jpeg', 'd.png', 'e.webp', 'f.tif', 'g.TIFF', 'h.gif', 'i'].map((input) =>
      processedName(`/in/${input}`, new Set()),
    );
    assert.deepEqual(names, ['a.jpg', 'b.jpg', 'c.jpg', 'd.png', 'e.png', 'f.png', 'g.png', 'h.png', 'i.png']);
  });

  test('keeps the stem of the input, not its folder', () => {
    assert.equal(processedName('/data/night 1/M31 (stacked).tif', new Set()), 'M31 (stacked).png');
  });

  test('a name already taken gets -2, then -3, and the chosen names are added to taken', () => {
    const taken = new Set<string>();
    assert.equal(processedName('/a/sky.jpg', taken), 'sky.jpg');
    assert.equal(processedName('/b/sky.jpg', taken), 'sky-2.jpg');
    assert.equal(processedName('/c/sky.jpeg', taken), 'sky-3.jpg');
    assert.equal(processedName('/d/sky.png', taken), 'sky.png');
    assert.deepEqual([...taken], ['sky.jpg', 'sky-2.jpg', 'sky-3.jpg', 'sky.png']);
  });

  test('collisions are found case-insensitively (case-insensitive file systems would merge them)', () => {
    const taken = new Set<string>();
    assert.equal(processedName('/a/Sky.JPG', taken), 'Sky.jpg');
    assert.equal(processedName('/b/SKY.jpg', taken), 'SKY-2.jpg');
    assert.equal(processedName('/c/sky.jpg', taken), 'sky-3.jpg');
  });

  test('a suffixed name that is itself taken is skipped', () => {
    const taken = new Set(['sky.png', 'sky-2.png']);
    assert.equal(processedName('/x/sky.png', taken), 'sky-3.png');
  });

  test('the stem is made safe', () => {
    assert.equal(processedName('/in/..hidden.png', new Set()), 'hidden.png');
    assert.equal(processedName('/in/a\\b:c.jpg', new Set()), 'a_b_c.jpg');
    assert.equal(processedName('/in/.png', new Set()), 'png.png');
  });
});

describe('safeStem', () => {
  test('replaces path separators and characters Windows forbids with _', () => {
    assert.equal(safeStem('a/b\\c'), 'a_b_c');
    assert.equal(safeStem('what?*<is>|"this":'), 'what_is_this_');
  });

  test('replaces control characters (a run of them becomes one _)', () => {
    assert.equal(safeStem('line\nbreak\ttab\u0000nul\u007fdel'), 'line_break_tab_nul_del');
    assert.equal(safeStem('a\r\n\u0001b'), 'a_b');
  });

  test('strips leading dots and spaces, so a stem never hides or climbs', () => {
    assert.equal(safeStem('.hidden'), 'hidden');
    assert.equal(safeStem('../../etc'), '_.._etc');
    assert.equal(safeStem(' . .name'), 'name');
    assert.equal(safeStem('keeps.inner.dots'), 'keeps.inner.dots');
  });

  test('an empty result becomes "image"', () => {
    assert.equal(safeStem(''), 'image');
    assert.equal(safeStem('...'), 'image');
    assert.equal(safeStem('  '), 'image');
  });

  test('keeps non-ASCII names as they are', () => {
    assert.equal(safeStem('Orion – Überblick 星'), 'Orion – Überblick 星');
  });

  test('cuts long stems to 120 characters without splitting a surrogate pair', () => {
    assert.equal(safeStem('x'.repeat(300)), 'x'.repeat(120));
    const stem = safeStem(`${'a'.repeat(119)}🌌🌌`);
    assert.equal(stem, `${'a'.repeat(119)}🌌`);
  });
});
