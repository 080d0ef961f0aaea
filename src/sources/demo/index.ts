/**
 * The embedded offline demo, for the `stardash demo` command.
 *
 * 1. `const server = await startDemoServer({ seed, count, latencyMs, bandwidthKiBps, faults })`.
 * 2. Fetch the listing from `server.apiUrl` with the APOD client (api key `server.apiKey`), exactly
 *    as for NASA, or call `demoListing(server)` here, which also attaches the truth.
 * 3. The true stars of an image: `truthForUrl(server.seed, url)` (or `truthFor(seed, index)`).
 *    Image URLs are `${server.url}/images/<index>.<jpg|png>` (APOD's `hdurl`, full size, the one the
 *    truth is for) and `/images/<index>-sd.<ext>` (APOD's `url`, at most 1024 wide, when larger).
 *    Entry `index` is dated DEMO_LAST_DATE minus `index` days; DEMO_VIDEO_INDEX is a video.
 * 4. With `faults`, DEMO_FAULTS says which images misbehave and whether a retry recovers.
 * 5. `await server.close()`.
 *
 * `startDemoServerProcess` (server-child.ts) runs the same server in a process of its own, as
 * `stardash demo` does.
 */
import type { RemoteImage, RemoteListing, SkippedEntry, TrueStar } from '../remote.js';
import type { ApodEntry } from './catalogue.js';
import { demoDate, demoIndexOfDate, parseDemoImagePath, SD_WIDTH } from './catalogue.js';
import type { DemoServer } from './server.js';
import { skyPlan, truthOf } from './sky.js';

export {
  DEMO_LAST_DATE, DEMO_VIDEO_INDEX, DEMO_VIDEO_MIN_COUNT, SD_WIDTH, demoDate, demoImagePath, isDemoVideo, parseDemoImagePath,
  type ApodEntry, type DemoVariant,
} from './catalogue.js';
export { DEMO_FAULTS, DEMO_FAULTS_SPAN, demoFaultFor, demoFaultsFor, type DemoFault, type DemoFaultKind } from './faults.js';
export { startDemoServerProcess, type DemoProcessOptions, type DemoServerProcess } from './server-child.js';
export { DemoOptionsError, startDemoServer, type DemoServer, type DemoServerOptions, type RequestLogEntry } from './server.js';
export { renderSky, skyPlan, truthOf, type SkyPlan, type SkyStar } from './sky.js';
export type { DemoTimers } from './throttle.js';

/** The true stars of demo image `index` for `seed`, in the full-size (`hd`) image's pixels. */
export function truthFor(seed: number, index: number): TrueStar[] {
  return truthOf(skyPlan(seed, index));
}

/**
 * The true stars of the demo image at `url` (hd or sd), scaled to that image's pixels, or
 * undefined when the URL is not a demo image.
 */
export function truthForUrl(seed: number, url: string): TrueStar[] | undefined {
  const image = parseDemoImagePath(url);
  if (!image) return undefined;
  const plan = skyPlan(seed, image.index);
  if (image.variant === 'hd' || plan.width <= SD_WIDTH) return truthOf(plan);
  // sharp's resize keeps the aspect (height rounded) and maps pixel centres: x' = (x + 0.5) · scale - 0.5.
  const sx = SD_WIDTH / plan.width;
  const sy = Math.round(plan.height * sx) / plan.height;
  return truthOf(plan).map((s) => ({ ...s, x: (s.x + 0.5) * sx - 0.5, y: (s.y + 0.5) * sy - 0.5 }));
}

/**
 * The demo catalogue as a RemoteListing, fetched from the server's APOD endpoint (a date range, so
 * any count works): ids are the indexes ("0", "1", …), URLs the full-size images, each with its truth;
 * the video entry is skipped. `fetchImpl` defaults to the global fetch.
 */
export async function demoListing(
  server: Pick<DemoServer, 'apiUrl' | 'apiKey' | 'seed' | 'count'>,
  fetchImpl: typeof fetch = fetch,
): Promise<RemoteListing> {
  const url = new URL(server.apiUrl);
  url.searchParams.set('api_key', server.apiKey);
  url.searchParams.set('start_date', demoDate(server.count - 1));
  url.searchParams.set('end_date', demoDate(0));
  const response = await fetchImpl(url);
  if (!response.ok) throw new Error(`The demo server's APOD endpoint answered ${response.status}; is the demo server still running?`);
  const entries = (await response.json()) as ApodEntry[];
  const images: RemoteImage[] = [];
  const skipped: SkippedEntry[] = [];
  for (const entry of entries.reverse()) {
    const index = String(demoIndexOfDate(entry.date));
    if (entry.media_type !== 'image' || !entry.hdurl) {
      skipped.push({ id: index, name: entry.title, reason: `media_type is ${entry.media_type}, not an image` });
      continue;
    }
    images.push({ id: index, name: entry.title, url: entry.hdurl, truth: () => truthFor(server.seed, Number(index)) });
  }
  return { images, skipped };
}
