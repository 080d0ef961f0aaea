/**
 * The big arrays of drawing a sky (4–70 MiB each), kept from sky to sky on the render worker.
 * Allocated afresh for every sky, they were freed and allocated again by the worker's thread in
 * glibc's arenas, which fragment and stay resident: a long `stardash demo` kept growing.
 */

/** An output buffer on loan: the caller's until `release()`, then the pool's to lend again. */
export interface BorrowedBytes {
  /** Exactly the length asked for (a view of a buffer that may be larger). */
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** Gives the buffer back. Only once whatever reads `bytes` (sharp's encode) is done with it. */
  release(): void;
}

export class SkyBuffers {
  #light = new Float32Array(0);
  readonly #noise = new Float32Array(65536);
  readonly #free: Uint8Array<ArrayBuffer>[] = [];
  readonly #keep: number;

  /**
   * @param keep output buffers kept for reuse once released: as many as skies drawn at once
   *   (the renderer has two at its worker). @default 2
   */
  constructor(keep = 2) {
    this.#keep = keep;
  }

  /** `length` zeros, grown to the largest length asked for so far: valid until the next call. */
  light(length: number): Float32Array {
    if (this.#light.length < length) this.#light = new Float32Array(length);
    return this.#light.subarray(0, length).fill(0);
  }

  /** The noise table (65,536 floats, contents left over): valid until the next call. */
  noise(): Float32Array {
    return this.#noise;
  }

  /**
   * `length` bytes (contents left over) that nobody else holds until released: a sky's pixels
   * stay untouched while sharp still encodes them, even when the next sky is drawn meanwhile.
   */
  borrow(length: number): BorrowedBytes {
    const reused = this.#free.pop();
    // Too small: dropped for one of the new size, so the pool grows to the largest sky seen.
    const buffer = reused && reused.length >= length ? reused : new Uint8Array(length);
    let held = true;
    return {
      bytes: buffer.subarray(0, length),
      release: () => {
        if (!held) return;
        held = false;
        if (this.#free.length < this.#keep) this.#free.push(buffer);
      },
    };
  }
}
