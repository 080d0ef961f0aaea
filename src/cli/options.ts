import { InvalidArgumentError } from 'commander';
import { DETECTOR_NAMES, type DetectorName } from '../analysis/detectors.js';

/** Parsers for option values: each throws commander's InvalidArgumentError with what to do. */

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}".`);
  return n;
}

/** A whole number of at least 0 (for --retries, --latency). */
export function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number of at least 0, got "${value}".`);
  return n;
}

/** A calendar date as APOD takes it: YYYY-MM-DD. */
export function isoDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidArgumentError(`expected a date as YYYY-MM-DD, for example 2024-07-04, got "${value}".`);
  }
  return value;
}

/** Word-wraps `text` at `width` columns, each line indented (for help texts). */
export function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, indent + line].join('\n');
}

export function detectorName(value: string): DetectorName {
  if (!(DETECTOR_NAMES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`unknown detector "${value}"; choose one of: ${DETECTOR_NAMES.join(', ')}.`);
  }
  return value as DetectorName;
}

/** Collects repeated `--param key=value` into an object of numbers and booleans. */
export function detectorParam(value: string, previous: Record<string, number | boolean> = {}): Record<string, number | boolean> {
  const match = /^([A-Za-z]\w*)=(.+)$/.exec(value);
  if (!match) throw new InvalidArgumentError(`expected KEY=VALUE, for example minArea=5, got "${value}".`);
  const [, key, raw] = match as unknown as [string, string, string];
  // Number(' ') is 0: a blank value must not pass as zero.
  const parsed = raw === 'true' ? true : raw === 'false' ? false : raw.trim() === '' ? Number.NaN : Number(raw);
  if (typeof parsed === 'number' && Number.isNaN(parsed)) {
    throw new InvalidArgumentError(`the value of ${key} must be a number, true or false, got "${raw}".`);
  }
  return { ...previous, [key]: parsed };
}
