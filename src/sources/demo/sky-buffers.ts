/**
 * The arrays the demo server draws its skies in, kept from one sky to the next. A large sky needs a
 * 72 MiB float array and an 18 MiB one of pixels: allocated afresh for each, they stayed in the
 * process until a garbage collection freed them, seconds later, and the server's memory rose and
 * fell by tens of MiB with every large sky (README, "Soak"). Each array is made once, as large as
 * the largest sky: its pages are only touched (made resident) as far as the skies drawn in it
 * reach, so the server's memory grows to the largest sky drawn so far and stays there, and no
 * outgrown array waits for the collector.
 */
export class SkyBuffers {
  #light: Float32Array | undefined;
  readonly #free: Uint8Array[] = [];

  /** @param capacity values a sky has at most (width × height × 3) */
  constructor(readonly capacity: number) {}

  /** A float array of `length` zeros, for one sky's light: the same memory for every sky, so draw one at a time. */
  light(length: number): Float32Array {
    if (!this.#light || this.#light.length < length) {
      this.#light = new Float32Array(Math.max(length, this.capacity));
      return this.#light.subarray(0, length);
    }
    return this.#light.fill(0, 0, length).subarray(0, length);
  }

  /** A byte array of `length` for one sky's pixels, yours until you `release` it (its contents are stale). */
  pixels(length: number): Uint8Array {
    const fits = this.#free.findIndex((b) => b.buffer.byteLength >= length);
    const kept = fits >= 0 ? this.#free.splice(fits, 1)[0] : undefined;
    return new Uint8Array(kept?.buffer ?? new ArrayBuffer(Math.max(length, this.capacity)), 0, length);
  }

  /** Gives back an array from `pixels` once whoever read it (sharp) is done, for the next sky. */
  release(pixels: Uint8Array): void {
    // Kept: as many as are drawn at once (two; a third, never needed, is left to the collector).
    if (this.#free.length < MAX_FREE) this.#free.push(pixels);
  }
}

const MAX_FREE = 2;
