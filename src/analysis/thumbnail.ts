import type { Keypoint } from './blob/groups.js';
import type { GrayImage } from './blob/detect.js';

/** A small luminance picture of an image with its stars, for the dashboard's preview. */
export interface Thumbnail {
  width: number;
  height: number;
  /** Row-major 8-bit luminance. */
  data: Uint8Array;
  /** Keypoint centres and radii in thumbnail pixels. */
  stars: { x: number; y: number; r: number }[];
}

/** Default thumbnail box: 64×32 pixels (a 32×8 braille cell picture). */
export const THUMBNAIL_BOX = { width: 64, height: 32 } as const;

/**
 * Shrinks `image` to fit `box` (aspect kept, at least 1 pixel a side) by averaging the source pixels
 * each thumbnail pixel covers, and scales the keypoints onto it.
 */
export function makeThumbnail(
  image: GrayImage,
  keypoints: readonly Keypoint[],
  box: { width: number; height: number } = THUMBNAIL_BOX,
): Thumbnail {
  const scale = Math.min(box.width / image.width, box.height / image.height, 1);
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const sums = new Float64Array(width * height);
  const counts = new Uint32Array(width * height);
  const colOf = new Int32Array(image.width);
  for (let x = 0; x < image.width; x++) colOf[x] = Math.min(width - 1, Math.floor((x * width) / image.width));
  for (let y = 0; y < image.height; y++) {
    const row = Math.min(height - 1, Math.floor((y * height) / image.height)) * width;
    const src = y * image.width;
    for (let x = 0; x < image.width; x++) {
      sums[row + colOf[x]!]! += image.data[src + x]!;
      counts[row + colOf[x]!]!++;
    }
  }
  const data = new Uint8Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = Math.round(sums[i]! / Math.max(1, counts[i]!));
  const sx = width / image.width;
  const sy = height / image.height;
  const stars = keypoints.map((kp) => ({ x: kp.x * sx, y: kp.y * sy, r: (kp.size / 2) * sx }));
  return { width, height, data, stars };
}
