/** Which image format a body is, from its first bytes. Content-Type is not trusted: servers lie. */

export type ImageKind = 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff';

/** Bytes needed to tell every kind apart (WebP: 'RIFF' size 'WEBP'). */
export const SNIFF_BYTES = 12;

/** The file extension for a kind, without the dot. */
export const EXTENSIONS: Readonly<Record<ImageKind, string>> = {
  jpeg: 'jpg',
  png: 'png',
  gif: 'gif',
  webp: 'webp',
  tiff: 'tif',
};

const SIGNATURES: ReadonlyArray<{ kind: ImageKind; bytes: ReadonlyArray<number | undefined> }> = [
  { kind: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
  { kind: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { kind: 'gif', bytes: [0x47, 0x49, 0x46, 0x38] }, // 'GIF8'
  // 'RIFF', four bytes of size (any), 'WEBP'
  { kind: 'webp', bytes: [0x52, 0x49, 0x46, 0x46, undefined, undefined, undefined, undefined, 0x57, 0x45, 0x42, 0x50] },
  { kind: 'tiff', bytes: [0x49, 0x49, 0x2a, 0x00] }, // 'II*\0', little-endian
  { kind: 'tiff', bytes: [0x4d, 0x4d, 0x00, 0x2a] }, // 'MM\0*', big-endian
];

/**
 * The kind the first bytes of a body announce; `'unknown'` when they match no image signature,
 * `'need-more'` while `head` is too short to decide and the body may go on (`complete` false).
 */
export function detectImageKind(head: Uint8Array, complete = false): ImageKind | 'unknown' | 'need-more' {
  let undecided = false;
  for (const { kind, bytes } of SIGNATURES) {
    const seen = Math.min(head.length, bytes.length);
    const prefixMatches = bytes.slice(0, seen).every((b, i) => b === undefined || b === head[i]);
    if (!prefixMatches) continue;
    if (seen === bytes.length) return kind;
    undecided = true;
  }
  return undecided && !complete ? 'need-more' : 'unknown';
}
