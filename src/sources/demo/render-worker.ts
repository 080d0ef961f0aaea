/** The demo server's drawing thread: `encodeSky` (images.ts) off the server's event loop. */
import sharp from 'sharp';
import { expose } from 'threads/worker';
import type { DemoVariant } from './catalogue.js';
import { droppedSkiesCollector } from './dropped-skies.js';
import { encodeSky } from './encode-sky.js';
import { SkyBuffers } from './sky-buffers.js';
import { SKY_LIMITS } from './sky.js';

// Every sky is drawn once and its bytes kept by the server: libvips' cache of operations would only
// hold up to 50 MiB of them.
sharp.cache(false);
const buffers = new SkyBuffers(SKY_LIMITS.maxWidth * SKY_LIMITS.maxHeight * 3);
const collect = droppedSkiesCollector();

const api = {
  async encodeSky(seed: number, index: number, variant: DemoVariant) {
    const image = await encodeSky(seed, index, variant, buffers);
    collect(image.body.length); // the skies handed over since the last time
    return image;
  },
};

export type RenderWorkerApi = typeof api;

expose(api);
