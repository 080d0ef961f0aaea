import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BASE_DELAY_MS, MAX_DELAY_MS, parseRetryAfter, retryDelay, shouldRetry } from '../../src/download/retry-policy.js';

describe('shouldRetry', () => {
  test('retries network errors, timeouts, truncated bodies, 408, 429 and 5xx', () => {
    for (const code of ['E_NETWORK', 'E_TIMEOUT', 'E_TRUNCATED', 'E_HTTP_408', 'E_HTTP_429', 'E_HTTP_500', 'E_HTTP_502', 'E_HTTP_503', 'E_HTTP_504']) {
      assert.equal(shouldRetry({ code }, 1, 3), true, code);
    }
  });

  test('never retries other 4xx, non-images, oversized or empty bodies, redirect loops, cancellations', () => {
    for (const code of ['E_HTTP_400', 'E_HTTP_401', 'E_HTTP_403', 'E_HTTP_404', 'E_HTTP_410', 'E_NOT_AN_IMAGE', 'E_TOO_LARGE', 'E_EMPTY_BODY', 'E_REDIRECTS', 'E_ABORTED', 'E_WRITE', 'E_BAD_URL', 'E_DNS', 'E_BAD_RESPONSE', 'E_DISK_FULL']) {
      assert.equal(shouldRetry({ code }, 1, 3), false, code);
    }
  });

  test('stops when the retries are used up: retries 3 allows attempts 1–4', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map((attempt) => shouldRetry({ code: 'E_HTTP_503' }, attempt, 3)), [true, true, true, false, false]);
    assert.equal(shouldRetry({ code: 'E_NETWORK' }, 1, 0), false);
  });
});

describe('retryDelay', () => {
  const now = () => Date.parse('2024-05-01T12:00:00Z');

  test('doubles from 500 ms with equal jitter: between half and all of the ceiling', () => {
    assert.equal(BASE_DELAY_MS, 500);
    assert.deepEqual([1, 2, 3, 4].map((a) => retryDelay(a, undefined, () => 0, now)), [250, 500, 1000, 2000]);
    assert.deepEqual([1, 2, 3, 4].map((a) => retryDelay(a, undefined, () => 0.5, now)), [375, 750, 1500, 3000]);
    assert.deepEqual([1, 2, 3, 4].map((a) => retryDelay(a, undefined, () => 0.999999, now)), [500, 1000, 2000, 4000]);
  });

  test('caps the backoff at 30 s', () => {
    assert.equal(MAX_DELAY_MS, 30_000);
    assert.equal(retryDelay(7, undefined, () => 0.999999, now), 30_000);
    assert.equal(retryDelay(40, undefined, () => 0, now), 15_000);
  });

  test('honours Retry-After in seconds exactly, capped at 30 s', () => {
    assert.equal(retryDelay(1, '7', () => 0.5, now), 7000);
    assert.equal(retryDelay(3, '0', () => 0.5, now), 0);
    assert.equal(retryDelay(1, '3600', () => 0.5, now), 30_000);
  });

  test('honours Retry-After as an HTTP date against now()', () => {
    assert.equal(retryDelay(1, 'Wed, 01 May 2024 12:00:12 GMT', () => 0.5, now), 12_000);
    assert.equal(retryDelay(1, 'Wed, 01 May 2024 11:00:00 GMT', () => 0.5, now), 0);
    assert.equal(retryDelay(1, 'Thu, 02 May 2024 12:00:00 GMT', () => 0.5, now), 30_000);
  });

  test('falls back to backoff when Retry-After is unreadable', () => {
    for (const header of ['', 'soon', '-5', '1.5', 'Wed, 99 Foo 2024']) {
      assert.equal(retryDelay(2, header, () => 0.5, now), 750, header);
    }
  });
});

describe('parseRetryAfter', () => {
  test('reads seconds and dates, ignores the rest', () => {
    const at = Date.parse('2024-05-01T12:00:00Z');
    assert.equal(parseRetryAfter(' 120 ', at), 120_000);
    assert.equal(parseRetryAfter('Wed, 01 May 2024 12:01:00 GMT', at), 60_000);
    assert.equal(parseRetryAfter(undefined, at), undefined);
    assert.equal(parseRetryAfter('later', at), undefined);
  });
});
