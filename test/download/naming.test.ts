import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { downloadName, MAX_NAME_LENGTH, partName } from '../../src/download/naming.js';

const name = (url: string, kind: Parameters<typeof downloadName>[1] = 'jpeg', taken = new Set<string>()): string =>
  downloadName(url, kind, taken);

describe('downloadName', () => {
  test('takes the decoded last path segment with the extension of the detected kind', () => {
    assert.equal(name('https://apod.nasa.gov/apod/image/2401/M31_Final.jpg'), 'M31_Final.jpg');
    assert.equal(name('https://h.test/img/Andromeda%20Galaxy.JPEG?size=large#x'), 'Andromeda Galaxy.jpg');
    assert.equal(name('https://h.test/a/photo.png', 'jpeg'), 'photo.jpg');
    assert.equal(name('https://h.test/a/photo.jpg', 'png'), 'photo.png');
    assert.equal(name('https://h.test/a/scan.tiff', 'tiff'), 'scan.tif');
    assert.equal(name('https://h.test/a/anim', 'gif'), 'anim.gif');
    assert.equal(name('https://h.test/a/pic', 'webp'), 'pic.webp');
    assert.equal(name('https://h.test/view.php?id=3', 'png'), 'view.php.png');
    assert.equal(name('https://h.test/dir/'), 'dir.jpg');
  });

  test('numbers collisions -2, -3, … case-insensitively and records the choice', () => {
    const taken = new Set(['m31.jpg']);
    assert.equal(name('https://a.test/M31.jpg', 'jpeg', taken), 'M31-2.jpg');
    assert.equal(name('https://b.test/m31.JPG', 'jpeg', taken), 'm31-3.jpg');
    assert.equal(name('https://c.test/M31.png', 'png', taken), 'M31.png');
    assert.deepEqual([...taken], ['m31.jpg', 'm31-2.jpg', 'm31-3.jpg', 'm31.png']);
  });

  test('keeps hostile URLs to one plain name inside the folder', () => {
    const cases: Array<[string, string]> = [
      ['http://h.test/../../etc/passwd', 'passwd.jpg'],
      ['http://h.test/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '_.._etc_passwd.jpg'],
      ['http://h.test/..%5C..%5Cwindows%5Cwin.ini', '_.._windows_win.ini.jpg'],
      ['http://h.test/%2e%2e', 'image.jpg'],
      ['http://h.test/.hidden.png', 'hidden.jpg'],
      ['http://h.test/star%00%01%0a%1b%7f.png', 'star_.jpg'],
      ['http://h.test/evil%E2%80%AEgpj.exe', 'evil_gpj.exe.jpg'],
      ['http://h.test/CON', '_CON.jpg'],
      ['http://h.test', 'image.jpg'],
      ['http://h.test/', 'image.jpg'],
      ['http://h.test/%', '%.jpg'],
      ['not a url at all', 'not a url at all.jpg'],
    ];
    for (const [url, expected] of cases) assert.equal(name(url), expected, url);
  });

  test('cuts long names to 120 characters, the extension and suffix kept', () => {
    const long = `http://h.test/${'a'.repeat(300)}.png`;
    const taken = new Set<string>();
    const first = name(long, 'png', taken);
    const second = name(long, 'png', taken);
    assert.equal(first, `${'a'.repeat(MAX_NAME_LENGTH - 4)}.png`);
    assert.equal(second, `${'a'.repeat(MAX_NAME_LENGTH - 6)}-2.png`);
    assert.equal(first.length, 120);
    assert.equal(second.length, 120);
  });

  test('never splits a character and stays under 255 UTF-8 bytes', () => {
    const stars = '🌟'.repeat(100);
    const result = name(`http://h.test/${encodeURIComponent(stars)}`);
    assert.ok(result.length <= MAX_NAME_LENGTH);
    assert.ok(Buffer.byteLength(result) <= 255);
    assert.equal(result, `${'🌟'.repeat(58)}.jpg`);
    const wide = name(`http://h.test/${encodeURIComponent('月'.repeat(200))}`);
    assert.equal(wide, `${'月'.repeat(83)}.jpg`); // 83 × 3 bytes + 4 = 253 ≤ 255
  });
});

describe('partName', () => {
  test('is the same stem with a token and .part, so it never takes a final name', () => {
    assert.equal(partName('https://h.test/M31.jpg?api_key=x', 'ab12cd34'), 'M31.ab12cd34.part');
    assert.equal(partName('https://h.test/', 'ab12cd34'), 'image.ab12cd34.part');
    assert.ok(partName(`https://h.test/${'x'.repeat(400)}`, 'ab12cd34').length <= MAX_NAME_LENGTH);
  });
});
