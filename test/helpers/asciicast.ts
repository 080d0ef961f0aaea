/**
 * Reading an asciicast v2 back, checking it as a player would: a JSON header line with the version
 * and the terminal's size, then one event a line, `[seconds, code, data]`, with times that never go
 * backwards. Fails (node:assert) with the offending line.
 */
import assert from 'node:assert/strict';
import type { CastHeader } from '../../src/cli/record.js';

export type CastEvent = [seconds: number, code: string, data: string];

export interface Cast {
  header: CastHeader;
  events: CastEvent[];
  /** Every "o" event's data joined: everything the terminal was sent. */
  output: string;
}

export function parseCast(text: string): Cast {
  assert.ok(text.endsWith('\n'), 'the cast ends with a newline');
  const [first, ...lines] = text.slice(0, -1).split('\n');
  const header = JSON.parse(first ?? '') as CastHeader;
  assert.equal(header.version, 2, `version 2 in the header: ${first}`);
  for (const key of ['width', 'height', 'timestamp'] as const) {
    assert.ok(Number.isInteger(header[key]) && header[key] > 0, `a positive whole ${key} in the header: ${first}`);
  }
  const events: CastEvent[] = [];
  let last = 0;
  for (const [index, line] of lines.entries()) {
    const event: unknown = JSON.parse(line);
    const where = `event ${index + 1}: ${line.slice(0, 200)}`;
    assert.ok(Array.isArray(event) && event.length === 3, `an array of 3: ${where}`);
    const [seconds, code, data] = event as unknown[];
    assert.ok(typeof seconds === 'number' && seconds >= last, `a time ≥ ${last}: ${where}`);
    assert.ok(code === 'o' || code === 'r' || code === 'i' || code === 'm', `a known event code: ${where}`);
    assert.ok(typeof data === 'string', `string data: ${where}`);
    if (code === 'r') assert.match(data, /^\d+x\d+$/, `a resize to WxH: ${where}`);
    last = seconds;
    events.push([seconds, code, data]);
  }
  const output = events.filter(([, code]) => code === 'o').map(([, , data]) => data).join('');
  return { header, events, output };
}
