/**
 * Draws and encodes the demo's skies on a worker thread. Drawing a large sky takes a few hundred
 * milliseconds of JavaScript: on the server's own thread it would stall every response in flight
 * (false timeouts) and, in `stardash demo`, freeze the dashboard that shares the process.
 */
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import PQueue from 'p-queue';
import type { ModuleThread } from 'threads';
import { loadThreads } from '../../analysis/threads.js';
import type { DemoVariant } from './catalogue.js';
import { droppedSkiesCollector } from './dropped-skies.js';
import type { EncodedImage } from './images.js';
import type { RenderWorkerApi } from './render-worker.js';
import { RENDER_WORKER } from '../../worker-scripts.js';

const HERE = dirname(fileURLToPath(import.meta.url));

export class SkyRenderer {
  #thread: Promise<ModuleThread<RenderWorkerApi>> | undefined;
  // The worker draws one sky at a time: the others wait here, one in the worker's own queue so that
  // it never idles. Each call waiting in threads.js holds a listener on the worker, and more than
  // ten (`demo -c 16`) printed a MaxListenersExceededWarning.
  readonly #queue = new PQueue({ concurrency: 2 });
  readonly #collect = droppedSkiesCollector();

  /** The encoded sky, drawn on the worker (started on first use). */
  async encode(seed: number, index: number, variant: DemoVariant): Promise<EncodedImage> {
    const thread = await (this.#thread ??= this.#start());
    const image = await this.#queue.add(() => thread.encodeSky(seed, index, variant));
    this.#collect(image.body.byteLength); // the skies the cache has let go of since the last time
    // Buffers cross the thread boundary as plain Uint8Arrays.
    return { ...image, body: Buffer.from(image.body.buffer, image.body.byteOffset, image.body.byteLength) };
  }

  /** Stops the worker, if it was started. */
  async close(): Promise<void> {
    const started = this.#thread;
    this.#thread = undefined;
    if (!started) return;
    const { Thread } = loadThreads();
    await Thread.terminate(await started);
  }

  async #start(): Promise<ModuleThread<RenderWorkerApi>> {
    const { spawn, Worker } = loadThreads();
    // threads.js resolves the script against the calling file's folder.
    return spawn<RenderWorkerApi>(new Worker(relative(HERE, RENDER_WORKER)));
  }
}
