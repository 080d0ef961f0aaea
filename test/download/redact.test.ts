import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { redactText, redactUrl } from '../../src/download/redact.js';

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
