/**
 * Where a picture's stars are, as one bit a cell of a grid STAR_MASK_SCALE times finer than the
 * picture's pixels each way: row-major, 8 cells a byte, lowest bit first. Its size is the picture's
 * alone, not its stars' count: a 64×32 thumbnail's mask is 1 KiB with 10 stars or 8,000 (a list of
 * {x, y} objects held ~110 bytes a star to the end of a run). Pure.
 */

/**
 * Cells a picture pixel each way. The braille preview draws at most 2 dots a thumbnail pixel each way
 * (src/ui/layout.ts previewSize), so a finer grid would show nothing more.
 */
export const STAR_MASK_SCALE = 2;

/** The bytes a mask of a `width × height` picture takes. */
export function starMaskBytes(width: number, height: number): number {
  return Math.ceil((width * STAR_MASK_SCALE * height * STAR_MASK_SCALE) / 8);
}

/** A mask of `points` (in picture pixels, e.g. x 0 to `width`) on a `width × height` picture; points outside it are left out. */
export function starMask(width: number, height: number, points: Iterable<{ x: number; y: number }>): Uint8Array {
  const cols = width * STAR_MASK_SCALE;
  const rows = height * STAR_MASK_SCALE;
  const mask = new Uint8Array(starMaskBytes(width, height));
  for (const { x, y } of points) {
    const col = Math.floor(x * STAR_MASK_SCALE);
    const row = Math.floor(y * STAR_MASK_SCALE);
    // Written so that NaN is outside too.
    if (!(col >= 0 && col < cols && row >= 0 && row < rows)) continue;
    const bit = row * cols + col;
    mask[bit >> 3]! |= 1 << (bit & 7);
  }
  return mask;
}

/** The centre of each marked cell, in picture pixels, row by row. */
export function* maskedStars(mask: Uint8Array, width: number, height: number): Generator<{ x: number; y: number }> {
  const cols = width * STAR_MASK_SCALE;
  const bytes = Math.min(mask.length, starMaskBytes(width, height));
  for (let i = 0; i < bytes; i++) {
    const byte = mask[i]!;
    if (byte === 0) continue;
    for (let b = 0; b < 8; b++) {
      if ((byte & (1 << b)) === 0) continue;
      const bit = i * 8 + b;
      const row = Math.floor(bit / cols);
      if (row >= height * STAR_MASK_SCALE) return; // the last byte's spare bits
      yield { x: ((bit % cols) + 0.5) / STAR_MASK_SCALE, y: (row + 0.5) / STAR_MASK_SCALE };
    }
  }
}
