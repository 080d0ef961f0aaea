/**
 * The demo server's encoded images: rendered and encoded on first request, then kept. The encoding
 * itself (encode-sky.ts, sharp) runs on the render worker: this module does not load sharp.
 */
import type { DemoVariant } from './catalogue.js';

export interface EncodedImage {
  body: Buffer;
  contentType: 'image/jpeg' | 'image/png';
  /** A strong ETag (quoted). */
  etag: string;
  /** The entry's date at noon UTC, as an HTTP date. */
  lastModified: string;
}

/** Draws and encodes sky `index` of `seed` (encode-sky.ts's encodeSky, or a worker's). */
export type EncodeSky = (seed: number, index: number, variant: DemoVariant) => Promise<EncodedImage>;

/**
 * A cache of encoded skies for one seed, the `capacity` most recently asked for (a sky is the same
 * bytes whenever it is encoded, so one dropped is only drawn again; a long demo run must not keep
 * every sky it served). A failed encoding is forgotten, so it is tried again.
 */
export class DemoImageCache {
  readonly #cache = new Map<string, Promise<EncodedImage>>();

  readonly capacity: number;
  private readonly encode: EncodeSky;

  /**
   * @param options.encode draws and encodes a sky (the server passes its SkyRenderer's; tests, encodeSky)
   * @param options.capacity skies kept (about 0.3 MiB each on average). @default 64
   */
  constructor(
    readonly seed: number,
    options: { encode: EncodeSky; capacity?: number },
  ) {
    this.capacity = options.capacity ?? 64;
    this.encode = options.encode;
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
