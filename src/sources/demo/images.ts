/** The demo server's encoded images: rendered and encoded on first request, then kept. */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { demoDate, SD_WIDTH, type DemoVariant } from './catalogue.js';
import { renderSky, skyPlan } from './sky.js';

export interface EncodedImage {
  body: Buffer;
  contentType: 'image/jpeg' | 'image/png';
  /** A strong ETag (quoted). */
  etag: string;
  /** The entry's date at noon UTC, as an HTTP date. */
  lastModified: string;
}

/** JPEG quality of the demo images (APOD's JPEGs are high quality too). */
export const DEMO_JPEG_QUALITY = 90;

/** Encodes one sky: `hd` at full size, `sd` scaled down to at most SD_WIDTH wide. */
export async function encodeSky(seed: number, index: number, variant: DemoVariant): Promise<EncodedImage> {
  const plan = skyPlan(seed, index);
  let image = sharp(renderSky(plan), { raw: { width: plan.width, height: plan.height, channels: 3 } });
  if (variant === 'sd' && plan.width > SD_WIDTH) image = image.resize({ width: SD_WIDTH });
  const body = plan.format === 'png' ? await image.png().toBuffer() : await image.jpeg({ quality: DEMO_JPEG_QUALITY }).toBuffer();
  return {
    body,
    contentType: plan.format === 'png' ? 'image/png' : 'image/jpeg',
    etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`,
    lastModified: new Date(`${demoDate(index)}T12:00:00Z`).toUTCString(),
  };
}

/**
 * A cache of encoded skies for one seed, the `capacity` most recently asked for (a sky is the same
 * bytes whenever it is encoded, so one dropped is only drawn again; a long demo run must not keep
 * every sky it served). A failed encoding is forgotten, so it is tried again.
 */
export class DemoImageCache {
  readonly #cache = new Map<string, Promise<EncodedImage>>();

  readonly capacity: number;
  private readonly encode: typeof encodeSky;

  /**
   * @param options.capacity skies kept (about 0.3 MiB each on average). @default 64
   * @param options.encode draws and encodes a sky. @default encodeSky, on this thread (the server passes a SkyRenderer's)
   */
  constructor(
    readonly seed: number,
    options: { capacity?: number; encode?: typeof encodeSky } = {},
  ) {
    this.capacity = options.capacity ?? 64;
    this.encode = options.encode ?? encodeSky;
  }

  get(index: number, variant: DemoVariant): Promise<EncodedImage> {
    const key = `${index}-${variant}`;
    let image = this.#cache.get(key);
    if (image) {
      this.#cache.delete(key); // a Map keeps insertion order: re-adding makes it the newest
    } else {
      const encoding = this.encode(this.seed, index, variant);
      encoding.catch(() => this.#cache.get(key) === encoding && this.#cache.delete(key));
      image = encoding;
    }
    this.#cache.set(key, image);
    for (const oldest of this.#cache.keys()) {
      if (this.#cache.size <= this.capacity) break;
      this.#cache.delete(oldest);
    }
    return image;
  }

  /** How many skies are kept. */
  get size(): number {
    return this.#cache.size;
  }
}
