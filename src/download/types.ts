/** The download layer's contract with the orchestrator (the implementation is downloader.ts). */

export interface DownloadRequest {
  id: string;
  url: string;
  /** Aborting it stops the download at once; the `.part` file is removed. */
  signal?: AbortSignal;
}

/** What happens during one download, for progress bars and logs. */
export type DownloadEvent =
  | { type: 'download-started'; id: string; attempt: number }
  | { type: 'download-progress'; id: string; transferred: number; total?: number; bytesPerSecond: number }
  | { type: 'download-retrying'; id: string; attempt: number; delayMs: number; error: { code: string; message: string } };

export interface DownloadResult {
  /** Absolute path of the complete file (only complete files carry their final name). */
  file: string;
  bytes: number;
  sha256: string;
  /** Requests made, 1 for a first-time success, 0 when the manifest said it was already complete. */
  attempts: number;
  downloadMs: number;
  /** True when a previous run's complete file was reused without downloading. */
  fromManifest: boolean;
}

/** A download that failed for good: a stable code (E_HTTP_404, E_NOT_AN_IMAGE, E_TOO_LARGE, …) and a reason. */
export interface DownloadFailure {
  code: string;
  message: string;
  attempts: number;
}
