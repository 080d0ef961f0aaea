import { basename, extname } from 'node:path';
import { MAX_NAME_LENGTH, safeStem as downloadSafeStem } from '../download/naming.js';

/**
 * The annotated image's file name for an input: its stem, `.jpg` for JPEG inputs and `.png` for the
 * rest, made unique among `taken` with a `-2`, `-3`, … suffix. Pure; adds the chosen name to `taken`.
 */
export function processedName(input: string, taken: Set<string>): string {
  const ext = extname(input).toLowerCase();
  const stem = safeStem(basename(input, extname(input)));
  const out = ext === '.jpg' || ext === '.jpeg' ? '.jpg' : '.png';
  let name = `${stem}${out}`;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${stem}-${n}${out}`;
  taken.add(name.toLowerCase());
  return name;
}

/**
 * A file-name stem as the download layer makes them (no separators, control characters or leading
 * dots; never empty), cut to MAX_NAME_LENGTH code points (a cut must not split a surrogate pair).
 */
export function safeStem(stem: string): string {
  return [...downloadSafeStem(stem)].slice(0, MAX_NAME_LENGTH).join('');
}
