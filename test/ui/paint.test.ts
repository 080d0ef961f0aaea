import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

// Chalk settles its colour level when first imported.
process.env.FORCE_COLOR = '1';
const { paint } = await import('../../src/ui/paint.js');

describe('paint', () => {
  test('colours, bolds and inverts as <Text color bold inverse> does, and leaves text without a colour as it is', () => {
    assert.equal(paint('dots', { color: 'gray' }), '\u001B[90mdots\u001B[39m');
    assert.equal(paint('✦', { color: 'yellowBright', bold: true }), '\u001B[93m\u001B[1m✦\u001B[22m\u001B[39m');
    assert.equal(paint('b', { bold: true }), '\u001B[1mb\u001B[22m');
    assert.equal(paint('name', { bold: true, inverse: true }), '\u001B[1m\u001B[7mname\u001B[27m\u001B[22m');
    assert.equal(paint('plain', { color: undefined }), 'plain');
    assert.equal(paint('plain'), 'plain');
  });
});
