/**
 * The demo's catalogue: one APOD-shaped entry a day, counting back from a fixed date, each pointing
 * at a generated sky on the demo server. Pure: the same seed and size give the same entries.
 */
import { skyPlan, type SkyPlan } from './sky.js';

/** The newest entry's date (index 0); index i is i days earlier. Fixed, so runs are reproducible. */
export const DEMO_LAST_DATE = '2024-12-31';

/** The entry that is a video, not an image (in catalogues of 10 or more), so that skipping is exercised. */
export const DEMO_VIDEO_INDEX = 5;

/** Catalogues at least this large hold the video entry. */
export const DEMO_VIDEO_MIN_COUNT = 10;

/** The APOD API's JSON for one day (https://github.com/nasa/apod-api). */
export interface ApodEntry {
  date: string;
  title: string;
  explanation: string;
  url: string;
  hdurl?: string;
  media_type: 'image' | 'video';
  service_version: 'v1';
  copyright?: string;
}

/** `hd`: the full-size image (APOD's `hdurl`, the one the truth is for); `sd`: at most SD_WIDTH wide. */
export type DemoVariant = 'hd' | 'sd';

/** The `sd` variant's largest width; smaller skies are served at full size for both. */
export const SD_WIDTH = 1024;

const DAY_MS = 86_400_000;

/** The date of entry `index`: DEMO_LAST_DATE minus `index` days, YYYY-MM-DD. */
export function demoDate(index: number): string {
  return new Date(Date.parse(`${DEMO_LAST_DATE}T00:00:00Z`) - index * DAY_MS).toISOString().slice(0, 10);
}

/** The index of the entry dated `date` (YYYY-MM-DD), which may be out of the catalogue (< 0 or ≥ count). */
export function demoIndexOfDate(date: string): number {
  return Math.round((Date.parse(`${DEMO_LAST_DATE}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / DAY_MS);
}

/** True for the index of the catalogue's video entry. */
export function isDemoVideo(index: number, count: number): boolean {
  return index === DEMO_VIDEO_INDEX && count >= DEMO_VIDEO_MIN_COUNT;
}

/**
 * The path of an image on the demo server: `/images/<index>.<jpg|png>` (hd), `/images/<index>-sd.<ext>` (sd).
 * The extension follows the sky's format, so the plan is needed.
 */
export function demoImagePath(plan: Pick<SkyPlan, 'index' | 'format'>, variant: DemoVariant = 'hd'): string {
  return `/images/${plan.index}${variant === 'sd' ? '-sd' : ''}.${plan.format === 'png' ? 'png' : 'jpg'}`;
}

/** The index, variant and extension in an image path (or URL), or undefined when it is not one. */
export function parseDemoImagePath(path: string): { index: number; variant: DemoVariant; ext: 'jpg' | 'png' } | undefined {
  const match = /\/images\/(\d{1,9})(-sd)?\.(jpg|png)$/.exec(path.split(/[?#]/, 1)[0] ?? '');
  if (!match) return undefined;
  return { index: Number(match[1]), variant: match[2] ? 'sd' : 'hd', ext: match[3] === 'png' ? 'png' : 'jpg' };
}

const PLACES = [
  'Cygnus', 'Sagittarius', 'Cassiopeia', 'Perseus', 'Auriga', 'Monoceros', 'Carina', 'Centaurus',
  'Scutum', 'Aquila', 'Cepheus', 'Vela', 'Puppis', 'Crux', 'Orion', 'Taurus', 'Lyra', 'Ophiuchus',
];
const KINDS = ['Star Field in', 'Star Clouds of', 'The Crowded Sky of', 'A Wide Field in', 'Stars Toward', 'Deep Sky in'];

/** Entry `index` of a catalogue of `count` on the server at `baseUrl` (http://127.0.0.1:PORT). */
export function demoEntry(seed: number, index: number, count: number, baseUrl: string): ApodEntry {
  const plan = skyPlan(seed, index);
  const pick = <T>(list: readonly T[], n: number): T => list[((n % list.length) + list.length) % list.length]!;
  const place = pick(PLACES, seed * 7 + index * 5);
  // The kind moves on one each image and once more each round of the places: 108 titles in a row
  // are all different (PLACES × KINDS), so a demo's list never shows the same title twice.
  const kind = pick(KINDS, seed + index + Math.floor(index / PLACES.length));
  const common = { date: demoDate(index), service_version: 'v1' as const };
  if (isDemoVideo(index, count)) {
    return {
      ...common,
      title: `Time-lapse: The Sky Turns Over ${place}`,
      explanation: 'A video, not an image: stardash skips it and says why.',
      url: `https://www.youtube.com/embed/stardash-demo-${index}?rel=0`,
      media_type: 'video',
    };
  }
  return {
    ...common,
    title: `${kind} ${place}`,
    explanation:
      `A generated ${plan.width}×${plan.height} sky with ${plan.stars.length} stars ` +
      `(${plan.stars[0]?.profile ?? 'gaussian'} profiles). Its true stars are at /truth/${index}.json.`,
    url: baseUrl + demoImagePath(plan, plan.width > SD_WIDTH ? 'sd' : 'hd'),
    hdurl: baseUrl + demoImagePath(plan, 'hd'),
    media_type: 'image',
    copyright: 'stardash demo',
  };
}
