/** Draws and encodes one demo sky with sharp: on the render worker (render-worker.ts), never on the server's thread. */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { demoDate, SD_WIDTH, type DemoVariant } from './catalogue.js';
import type { EncodedImage } from './images.js';
import type { SkyBuffers } from './sky-buffers.js';
import { renderSky, skyPlan } from './sky.js';

/** JPEG quality of the demo images (APOD's JPEGs are high quality too). */
export const DEMO_JPEG_QUALITY = 90;

/** Encodes one sky: `hd` at full size, `sd` scaled down to at most SD_WIDTH wide; drawn in `buffers` if given. */
export async function encodeSky(seed: number, index: number, variant: DemoVariant, buffers?: SkyBuffers): Promise<EncodedImage> {
  const plan = skyPlan(seed, index);
  const pixels = renderSky(plan, buffers);
  let body: Buffer;
  try {
    // sharp reads the pixels where they are, until the encoding is done.
    let image = sharp(pixels, { raw: { width: plan.width, height: plan.height, channels: 3 } });
    if (variant === 'sd' && plan.width > SD_WIDTH) image = image.resize({ width: SD_WIDTH });
    body = plan.format === 'png' ? await image.png().toBuffer() : await image.jpeg({ quality: DEMO_JPEG_QUALITY }).toBuffer();
  } finally {
    buffers?.release(pixels);
  }
  return {
    body,
    contentType: plan.format === 'png' ? 'image/png' : 'image/jpeg',
    etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`,
    lastModified: new Date(`${demoDate(index)}T12:00:00Z`).toUTCString(),
  };
}
