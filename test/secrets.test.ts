import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hideEverywhere, redactSecrets, redactText, redactUrl } from '../src/secrets.js';

test('redactUrl hides the values of secret query parameters and keeps the rest', () => {
  assert.equal(
    redactUrl('https://api.nasa.gov/planetary/apod?api_key=abc123&date=2024-01-01'),
    'https://api.nasa.gov/planetary/apod?api_key=***&date=2024-01-01',
  );
  assert.equal(
    redactUrl('https://x.example/a?apikey=1&key=2&token=3&access_token=4&signature=5&password=6&page=7'),
    'https://x.example/a?apikey=***&key=***&token=***&access_token=***&signature=***&password=***&page=7',
  );
});

test('redactUrl matches parameter names whatever their case, and only whole names', () => {
  assert.equal(redactUrl('https://x.example/?API_KEY=abc&Signature=def'), 'https://x.example/?API_KEY=***&Signature=***');
  assert.equal(redactUrl('https://x.example/?monkey=banana&keys=1&key_id=2'), 'https://x.example/?monkey=banana&keys=1&key_id=2');
});

test('redactUrl keeps the fragment, handles empty values, and leaves URLs without secrets alone', () => {
  assert.equal(redactUrl('https://x.example/?token=abc#top'), 'https://x.example/?token=***#top');
  assert.equal(redactUrl('https://x.example/?token=&a=1'), 'https://x.example/?token=***&a=1');
  assert.equal(redactUrl('https://x.example/sky.jpg'), 'https://x.example/sky.jpg');
  assert.equal(redactUrl('not a url at all'), 'not a url at all');
});

test('redactUrl hides the password of user:password@host, keeping the user name', () => {
  assert.equal(redactUrl('https://me:hunter2@sky.example/a.jpg?token=t'), 'https://me:***@sky.example/a.jpg?token=***');
  assert.equal(redactUrl('see ftp://me:pw@files.example/ and https://sky.example/x@y'), 'see ftp://me:***@files.example/ and https://sky.example/x@y');
});

test('redactUrl works on URLs inside a longer text, such as an error message', () => {
  assert.equal(
    redactUrl('Request failed with status code 500 (Internal Server Error): GET https://h/apod?api_key=SECRET&count=2 (retry)'),
    'Request failed with status code 500 (Internal Server Error): GET https://h/apod?api_key=***&count=2 (retry)',
  );
  assert.equal(redactUrl('"https://h/?key=abc" and <https://h/?token=def>'), '"https://h/?key=***" and <https://h/?token=***>');
});

test('redactSecrets replaces every occurrence of every secret', () => {
  assert.equal(redactSecrets('key SECRET-KEY-123, again SECRET-KEY-123', ['SECRET-KEY-123']), 'key ***, again ***');
  assert.equal(redactSecrets('a=one b=two', ['one', 'two']), 'a=*** b=***');
});

test('redactSecrets also finds secrets percent-encoded or form-encoded, as in a URL', () => {
  const secret = 'p@ss word/+=';
  assert.equal(redactSecrets(`raw ${secret}`, [secret]), 'raw ***');
  assert.equal(redactSecrets(`encoded ${encodeURIComponent(secret)}`, [secret]), 'encoded ***');
  assert.equal(redactSecrets(`form ${new URLSearchParams({ k: secret }).toString()}`, [secret]), 'form k=***');
});

test('redactSecrets replaces the longest secret first and ignores empty ones', () => {
  assert.equal(redactSecrets('abcdef', ['abc', 'abcdef']), '***');
  assert.equal(redactSecrets('nothing to hide', ['']), 'nothing to hide');
  assert.equal(redactSecrets('nothing to hide', []), 'nothing to hide');
});

test('redactText does both: secret parameters and secrets anywhere', () => {
  assert.equal(
    redactText('GET https://h/?token=zzz failed; the key was K-1', ['K-1']),
    'GET https://h/?token=*** failed; the key was ***',
  );
});

// Cases from the download layer (URLs in got's messages, S3-style signatures).

describe('redactUrl', () => {
  test('hides the values of key, token, signature and password parameters', () => {
    assert.equal(
      redactUrl('https://api.nasa.gov/planetary/apod?api_key=SECRET1&date=2024-01-01'),
      'https://api.nasa.gov/planetary/apod?api_key=***&date=2024-01-01',
    );
    assert.equal(
      redactUrl('https://x.test/a.jpg?apikey=a&key=b&token=c&access_token=d&signature=e&password=f&X-Amz-Signature=g&size=2'),
      'https://x.test/a.jpg?apikey=***&key=***&token=***&access_token=***&signature=***&password=***&X-Amz-Signature=***&size=2',
    );
  });

  test('matches names case-insensitively and percent-encoded, keeps the fragment', () => {
    assert.equal(redactUrl('http://h/p?API_KEY=s#frag'), 'http://h/p?API_KEY=***#frag');
    assert.equal(redactUrl('http://h/p?api%5Fkey=s'), 'http://h/p?api%5Fkey=***');
  });

  test('leaves other parameters, look-alike names and plain URLs byte for byte', () => {
    const plain = 'https://apod.nasa.gov/apod/image/2401/M31%20Final.jpg?monkey=1&keys=2&x=%20';
    assert.equal(redactUrl(plain), plain);
    assert.equal(redactUrl('https://h/a.png'), 'https://h/a.png');
  });

  test('hides a password in the user info', () => {
    assert.equal(redactUrl('https://me:hunter2@h.test/a.png'), 'https://me:***@h.test/a.png');
  });

  test('works on strings that are not valid URLs', () => {
    assert.equal(redactUrl('not a url?token=abc'), 'not a url?token=***');
  });
});

describe('redactText', () => {
  test('redacts every URL inside a message', () => {
    assert.equal(
      redactText('Request failed with status code 404 (Not Found): GET http://127.0.0.1:80/a.png?api_key=SECRET'),
      'Request failed with status code 404 (Not Found): GET http://127.0.0.1:80/a.png?api_key=***',
    );
  });
});

describe('hideEverywhere', () => {
  test('redactUrl and redactText then hide the secret under any name and encoding, until forgotten', () => {
    const url = 'https://img.example/a.jpg?k=my%2Fkey%2B1&id=my/key+1';
    assert.equal(redactUrl(url), url);
    const forget = hideEverywhere('my/key+1');
    try {
      assert.equal(redactUrl(url), 'https://img.example/a.jpg?k=***&id=***');
      assert.equal(redactText(`GET ${url} failed (my/key+1)`), 'GET https://img.example/a.jpg?k=***&id=*** failed (***)');
      assert.equal(redactUrl('https://img.example/b.jpg'), 'https://img.example/b.jpg');
    } finally {
      forget();
    }
    assert.equal(redactUrl(url), url);
  });

  test('an empty secret hides nothing', () => {
    const forget = hideEverywhere('');
    assert.equal(redactUrl('https://x.example/?a=b'), 'https://x.example/?a=b');
    forget();
  });
});
