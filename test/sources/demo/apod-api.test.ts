import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apodAnswer, type ApodContext } from '../../../src/sources/demo/apod-api.js';
import { demoDate, demoEntry, type ApodEntry } from '../../../src/sources/demo/catalogue.js';

const context: ApodContext = { seed: 1, count: 24, apiKey: 'KEY', baseUrl: 'http://127.0.0.1:1' };
const ask = (query: string): ReturnType<typeof apodAnswer> => apodAnswer(new URLSearchParams(query), context);
const dates = (body: unknown): string[] => (body as ApodEntry[]).map((e) => e.date);

test('a missing or wrong api_key is a 403 with NASA\'s error body', () => {
  assert.deepEqual(ask('count=2'), { status: 403, body: { error: { code: 'API_KEY_MISSING', message: 'No api_key was supplied. Get one at https://api.nasa.gov:443' } } });
  const wrong = ask('api_key=nope&count=2');
  assert.equal(wrong.status, 403);
  assert.equal((wrong.body as { error: { code: string } }).error.code, 'API_KEY_INVALID');
});

test('count=N: the N newest entries, capped at the catalogue; 1–100 only', () => {
  assert.deepEqual(ask('api_key=KEY&count=3&thumbs=false'), { status: 200, body: [0, 1, 2].map((i) => demoEntry(1, i, 24, context.baseUrl)) });
  assert.equal((ask('api_key=KEY&count=100').body as unknown[]).length, 24);
  for (const bad of ['0', '101', '-1', 'x', '2.5']) {
    assert.deepEqual(ask(`api_key=KEY&count=${bad}`), { status: 400, body: { code: 400, msg: 'Count must be positive and cannot exceed 100', service_version: 'v1' } });
  }
});

test('date=D: that day\'s entry as one object; out of the catalogue or malformed is a 400', () => {
  assert.deepEqual(ask(`api_key=KEY&date=${demoDate(4)}`), { status: 200, body: demoEntry(1, 4, 24, context.baseUrl) });
  assert.equal(ask(`api_key=KEY&date=${demoDate(24)}`).status, 400);
  assert.equal(ask('api_key=KEY&date=2025-01-01').status, 400);
  assert.match(String((ask('api_key=KEY&date=2024-02-30').body as { msg: string }).msg), /does not match format/);
});

test('start_date/end_date: the range oldest first, clipped to the catalogue; end defaults to the newest', () => {
  assert.deepEqual(dates(ask(`api_key=KEY&start_date=${demoDate(3)}&end_date=${demoDate(1)}`).body), [demoDate(3), demoDate(2), demoDate(1)]);
  assert.deepEqual(dates(ask(`api_key=KEY&start_date=${demoDate(2)}`).body), [demoDate(2), demoDate(1), demoDate(0)]);
  assert.equal(dates(ask('api_key=KEY&start_date=2000-01-01&end_date=2030-01-01').body).length, 24);
  assert.equal(ask(`api_key=KEY&start_date=${demoDate(1)}&end_date=${demoDate(3)}`).status, 400);
});

test('no parameters: the newest entry; mixed modes are a 400', () => {
  assert.deepEqual(ask('api_key=KEY'), { status: 200, body: demoEntry(1, 0, 24, context.baseUrl) });
  assert.equal(ask(`api_key=KEY&count=2&date=${demoDate(0)}`).status, 400);
  assert.equal(ask(`api_key=KEY&end_date=${demoDate(0)}`).status, 400);
});
