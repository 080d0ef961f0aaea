/** Draws and encodes one demo sky with sharp: on the render worker (render-worker.ts), never on the server's thread. */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { demoDate, SD_WIDTH, type DemoVariant } from './catalogue.js';
import type { EncodedImage } from './images.js';
import { renderSky, skyPlan } from './sky.js';
import { SkyBuffers } from './sky-buffers.js';

// One set a thread: the render worker draws one sky at a time and encodes up to two.
const threadBuffers = new SkyBuffers();

/** JPEG quality of the demo images (APOD's JPEGs are high quality too). */
export const DEMO_JPEG_QUALITY = 90;

/**
 * Encodes one sky: `hd` at full size, `sd` scaled down to at most SD_WIDTH wide.
 * @param buffers the arrays to draw in @default this thread's
 */
export async function encodeSky(seed: number, index: number, variant: DemoVariant, buffers = threadBuffers): Promise<EncodedImage> {
  const plan = skyPlan(seed, index);
  const pixels = buffers.borrow(plan.width * plan.height * 3);
  let body: Buffer;
  try {
    // sharp reads the pixels in place, until toBuffer() settles: only then may they be lent again.
    let image = sharp(renderSky(plan, buffers, pixels.bytes), { raw: { width: plan.width, height: plan.height, channels: 3 } });
    if (variant === 'sd' && plan.width > SD_WIDTH) image = image.resize({ width: SD_WIDTH });
    body = plan.format === 'png' ? await image.png().toBuffer() : await image.jpeg({ quality: DEMO_JPEG_QUALITY }).toBuffer();
  } finally {
    pixels.release();
  }
  return {
    body,
    contentType: plan.format === 'png' ? 'image/png' : 'image/jpeg',
    etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`,
    lastModified: new Date(`${demoDate(index)}T12:00:00Z`).toUTCString(),
  };
}
