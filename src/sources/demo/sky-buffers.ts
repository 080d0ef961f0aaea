/**
 * The arrays the demo server draws its skies in, kept from one sky to the next. A large sky needs a
 * 72 MiB float array and an 18 MiB one of pixels: allocated afresh for each, they stayed in the
 * process until a garbage collection freed them, seconds later, and the server's memory rose and
 * fell by tens of MiB with every large sky (README, "Soak"). Kept, the server's memory grows to the
 * largest sky drawn and stays there.
 */
export class SkyBuffers {
  #light = new Float32Array(0);
  readonly #free: Uint8Array[] = [];

  /** A float array of `length` zeros, for one sky's light: the same memory for every sky, so draw one at a time. */
  light(length: number): Float32Array {
    if (this.#light.length < length) {
      this.#light = new Float32Array(length);
      return this.#light;
    }
    return this.#light.fill(0, 0, length).subarray(0, length);
  }

  /** A byte array of `length` for one sky's pixels, yours until you `release` it (its contents are stale). */
  pixels(length: number): Uint8Array {
    const fits = this.#free.findIndex((b) => b.buffer.byteLength >= length); // the smallest that will do
    const kept = fits >= 0 ? this.#free.splice(fits, 1)[0] : undefined;
    return kept ? new Uint8Array(kept.buffer, 0, length) : new Uint8Array(length);
  }

  /** Gives back an array from `pixels` once whoever read it (sharp) is done, for the next sky. */
  release(pixels: Uint8Array): void {
    this.#free.push(pixels);
    // Kept: as many as are drawn at once (two), the largest; a smaller one would only be replaced.
    this.#free.sort((a, b) => a.buffer.byteLength - b.buffer.byteLength);
    this.#free.splice(0, this.#free.length - MAX_FREE);
  }
}

const MAX_FREE = 2;
