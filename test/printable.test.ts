import assert from 'node:assert/strict';
import { test } from 'node:test';
import { printable } from '../src/printable.js';

test('printable shows C0 controls and DEL as their control pictures', () => {
  assert.equal(printable('bell\u0007nul\u0000esc\u001b[31mnl\ncr\rtab\tdel\u007f'), 'bell␇nul␀esc␛[31mnl␊cr␍tab␉del␡');
  assert.equal(printable('\u001b]2;PWNED\u0007'), '␛]2;PWNED␇');
});

test('printable replaces C1 controls and bidirectional marks with U+FFFD, one column each', () => {
  assert.equal(printable('rlo\u202Egpj.exe'), 'rlo\uFFFDgpj.exe');
  assert.equal(printable('a\u0085b\u009bc\u200ed\u2066e\u061cf'), 'a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf');
});

test('printable leaves other text as it is, the same string', () => {
  const text = 'Stars Toward Auriga 🌟 ✦ é 漢字 ␛ already a picture';
  assert.equal(printable(text), text);
  assert.equal(printable(''), '');
});
