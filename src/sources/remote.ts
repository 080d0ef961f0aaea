/**
 * What a remote source (APOD, a URL list, the demo server) hands the orchestrator: the images to
 * download, and the entries it skipped with why. Plain data.
 */

/** A true star of a generated sky (demo only), in image pixels. */
export interface TrueStar {
  x: number;
  y: number;
  /** Peak brightness above the sky, 0–255. */
  peak: number;
  /** Too faint to count either way (peak under 5σ of the noise): neither found nor missed. */
  faint?: boolean;
}

export interface RemoteImage {
  /** Stable and unique within a run (APOD: the date; URL list: the line number; demo: the index). */
  id: string;
  /** What people see: a title, or the URL's file name. */
  name: string;
  /** The image to download. Never holds a secret (API keys go only in API requests). */
  url: string;
  /**
   * What identifies the image from one run to the next, for `--resume`. @default the URL with its
   * secrets redacted (the demo's server changes port every run, so it gives its own)
   */
  key?: string;
  /**
   * Demo skies: where every star really is, so the report can say found / true. Asked for once the
   * image is analysed, so that a long demo does not hold every sky's stars from the start.
   */
  truth?: () => readonly TrueStar[];
}

export interface SkippedEntry {
  id: string;
  name: string;
  /** Why: for example "media_type is video, not an image". */
  reason: string;
}

export interface RemoteListing {
  images: RemoteImage[];
  skipped: SkippedEntry[];
}
