import { basename, extname } from 'node:path';

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

/** A file-name stem without path separators, control characters or leading dots; never empty. */
export function safeStem(stem: string): string {
  const cleaned = [
    ...stem.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '_').replace(/^[.\s]+/, ''),
  ]
    .slice(0, 120) // code points, not UTF-16 units: a cut must not split a surrogate pair
    .join('');
  return cleaned.length > 0 ? cleaned : 'image';
}
