import type { Keypoint } from './blob/groups.js';
import type { GrayImage } from './blob/detect.js';
import { starMask } from './star-mask.js';

/** A small luminance picture of an image with its stars, for the dashboard's preview. */
export interface Thumbnail {
  width: number;
  height: number;
  /** Row-major 8-bit luminance. */
  data: Uint8Array;
  /**
   * Where the keypoints' centres fall: a starMask of this picture (2 cells a pixel each way, 1 KiB
   * for 64×32), the same size however many stars there are, as the run keeps it to its end.
   */
  stars: Uint8Array;
}

const ROWS_PER_CELL = 4;

/** Default thumbnail box: 64×32 pixels (a 32×8 braille cell picture). */
export const THUMBNAIL_BOX = { width: 64, height: 32 } as const;

/**
 * Shrinks `image` to fit `box` (aspect kept, at least 1 pixel a side) by averaging the source pixels
 * each thumbnail pixel covers (of a large image, only every few rows: enough for a preview, at a
 * fraction of the cost), and marks the keypoints' centres on it.
 */
export function makeThumbnail(
  image: GrayImage,
  keypoints: readonly Keypoint[],
  box: { width: number; height: number } = THUMBNAIL_BOX,
): Thumbnail {
  const { width, height } = thumbnailSize(image, box);
  // Which thumbnail column and row each source column and row falls in, and how many fall in each.
  const colOf = new Int32Array(image.width);
  const colCount = new Uint32Array(width);
  for (let x = 0; x < image.width; x++) colCount[(colOf[x] = Math.floor((x * width) / image.width))]!++;
  const rowCount = new Uint32Array(height);
  const sums = new Uint32Array(width * height);
  // At most ROWS_PER_CELL source rows a thumbnail row.
  const rowStep = Math.max(1, Math.floor(image.height / height / ROWS_PER_CELL));
  for (let y = 0; y < image.height; y += rowStep) {
    const row = Math.floor((y * height) / image.height);
    rowCount[row]!++;
    const cells = sums.subarray(row * width, (row + 1) * width);
    const src = image.data.subarray(y * image.width, (y + 1) * image.width);
    for (let x = 0; x < src.length; x++) cells[colOf[x]!]! += src[x]!;
  }
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(sums[i]! / (colCount[i % width]! * rowCount[Math.floor(i / width)]!));
  return { width, height, data, stars: maskStars(keypoints, image, width, height) };
}

/**
 * A thumbnail of only the stars, on black, for an image that is not at hand (one an earlier run
 * analysed, carried over by `--resume`): the preview still shows where they are.
 */
export function starThumbnail(
  image: { width: number; height: number },
  keypoints: readonly Keypoint[],
  box: { width: number; height: number } = THUMBNAIL_BOX,
): Thumbnail {
  const { width, height } = thumbnailSize(image, box);
  return { width, height, data: new Uint8Array(width * height), stars: maskStars(keypoints, image, width, height) };
}

/** `image`'s size shrunk to fit `box`, aspect kept, at least 1 pixel a side. */
function thumbnailSize(image: { width: number; height: number }, box: { width: number; height: number }): { width: number; height: number } {
  const scale = Math.min(box.width / image.width, box.height / image.height, 1);
  return { width: Math.max(1, Math.round(image.width * scale)), height: Math.max(1, Math.round(image.height * scale)) };
}

function maskStars(keypoints: readonly Keypoint[], image: { width: number; height: number }, width: number, height: number): Uint8Array {
  const sx = width / image.width;
  const sy = height / image.height;
  return starMask(width, height, keypoints.map((kp) => ({ x: kp.x * sx, y: kp.y * sy })));
}
