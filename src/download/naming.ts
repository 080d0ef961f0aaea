/**
 * File names for downloads: derived from the URL's last path segment, safe on every file system,
 * unique among the names already taken, with the extension of the kind the bytes turned out to be.
 */
import { EXTENSIONS, type ImageKind } from './image-kind.js';

/** Longest file name we produce, in UTF-16 units (and never over 255 UTF-8 bytes). */
export const MAX_NAME_LENGTH = 120;
const MAX_NAME_BYTES = 255;
const FALLBACK = 'image';

/**
 * A safe file name for the image at `url`: the decoded last path segment without its image
 * extension, stripped of path separators, control and bidi characters and leading dots, cut to
 * MAX_NAME_LENGTH, with `.jpg`/`.png`/`.gif`/`.webp`/`.tif` for `kind`; `-2`, `-3`, … before the
 * extension when the name is in `taken`. `taken` holds lower-case names (file systems may ignore
 * case); the chosen name is added to it.
 */
export function downloadName(url: string, kind: ImageKind, taken: Set<string>): string {
  const stem = urlStem(url);
  const ext = `.${EXTENSIONS[kind]}`;
  for (let n = 1; ; n++) {
    const name = fit(stem, `${n === 1 ? '' : `-${n}`}${ext}`);
    if (!taken.has(name.toLowerCase())) {
      taken.add(name.toLowerCase());
      return name;
    }
  }
}

/**
 * The provisional name a download streams to before its kind is known: the same stem, a caller's
 * unique `token` and `.part`. Final names never end in `.part`, so the two cannot collide.
 */
export function partName(url: string, token: string): string {
  return fit(urlStem(url), `.${token}.part`);
}

/** The URL's last non-empty path segment, decoded and made safe; `image` when there is none. */
export function urlStem(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split(/[?#]/)[0] ?? '';
  }
  const segment = path.split('/').filter((s) => s.length > 0).pop() ?? '';
  return safeStem(decode(segment).replace(/\.(?:jpe?g|jfif|png|gif|webp|tiff?)$/i, ''));
}

/** No path separators, no control, bidi or reserved characters, no leading dots, never empty. */
export function safeStem(text: string): string {
  const cleaned = text
    // eslint-disable-next-line no-control-regex -- control characters are exactly what we remove
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069/\\:*?"<>|]+/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '');
  if (cleaned.length === 0) return FALLBACK;
  // Windows device names stay special whatever the extension.
  return /^(?:con|prn|aux|nul|com\d|lpt\d)$/i.test(cleaned) ? `_${cleaned}` : cleaned;
}

/** `stem + tail`, the stem cut (by whole code points) so the name fits the length limits. */
function fit(stem: string, tail: string): string {
  let units = tail.length;
  let bytes = Buffer.byteLength(tail);
  let kept = '';
  for (const ch of stem) {
    units += ch.length;
    bytes += Buffer.byteLength(ch);
    if (units > MAX_NAME_LENGTH || bytes > MAX_NAME_BYTES) break;
    kept += ch;
  }
  const trimmed = kept.replace(/[.\s]+$/, '');
  return `${trimmed.length > 0 ? trimmed : FALLBACK}${tail}`;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
