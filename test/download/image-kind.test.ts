import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detectImageKind } from '../../src/download/image-kind.js';

const bytes = (...values: Array<number | string>): Buffer =>
  Buffer.concat(values.map((v) => (typeof v === 'string' ? Buffer.from(v, 'latin1') : Buffer.from([v]))));

describe('detectImageKind', () => {
  test('knows JPEG, PNG, GIF, WebP and both TIFF byte orders', () => {
    assert.equal(detectImageKind(bytes(0xff, 0xd8, 0xff, 0xe1)), 'jpeg');
    assert.equal(detectImageKind(bytes(0x89, 'PNG\r\n', 0x1a, '\n', 0, 0)), 'png');
    assert.equal(detectImageKind(bytes('GIF87a')), 'gif');
    assert.equal(detectImageKind(bytes('GIF89a')), 'gif');
    assert.equal(detectImageKind(bytes('RIFF', 0x10, 0x20, 0, 0, 'WEBPVP8L')), 'webp');
    assert.equal(detectImageKind(bytes('II*', 0)), 'tiff');
    assert.equal(detectImageKind(bytes('MM', 0, '*')), 'tiff');
  });

  test('says what is not an image, whatever it claims to be', () => {
    assert.equal(detectImageKind(bytes('<!DOCTYPE html><html>')), 'unknown');
    assert.equal(detectImageKind(bytes('{"error":"x"}')), 'unknown');
    assert.equal(detectImageKind(bytes('RIFF', 0, 0, 0, 0, 'WAVEfmt ')), 'unknown');
    assert.equal(detectImageKind(bytes(0x89, 'PNX')), 'unknown');
  });

  test('asks for more bytes while a prefix could still be an image', () => {
    assert.equal(detectImageKind(bytes()), 'need-more');
    assert.equal(detectImageKind(bytes(0xff, 0xd8)), 'need-more');
    assert.equal(detectImageKind(bytes('RIFF', 1, 2)), 'need-more');
  });

  test('decides on a short body once it is complete', () => {
    assert.equal(detectImageKind(bytes(0xff, 0xd8), true), 'unknown');
    assert.equal(detectImageKind(bytes(0xff, 0xd8, 0xff), true), 'jpeg');
    assert.equal(detectImageKind(bytes(), true), 'unknown');
  });
});
