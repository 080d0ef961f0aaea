import { InvalidArgumentError } from 'commander';
import { DETECTOR_NAMES, type DetectorName } from '../analysis/detectors.js';

/** Parsers for option values: each throws commander's InvalidArgumentError with what to do. */

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}".`);
  return n;
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
