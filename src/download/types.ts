/** The download layer's contract with the orchestrator (the implementation is downloader.ts). */

export interface DownloadRequest {
  id: string;
  url: string;
  /** Aborting it stops the download at once; the `.part` file is removed. */
  signal?: AbortSignal;
}

/**
 * What happens during one download, for progress bars and logs. Per attempt: `download-started`
 * (attempt 1, 2, …), then `download-progress` at most every ~100 ms (`total` from Content-Length
 * when the server sent one) and once at the end (then `total` = `transferred`). After a transient
 * failure, `download-retrying` names the attempt about to be made after `delayMs` (at `retryAt`, ISO
 * time), and the error that caused it. A download served from the manifest emits no event.
 */
export type DownloadEvent =
  | { type: 'download-started'; id: string; attempt: number }
  | { type: 'download-progress'; id: string; transferred: number; total?: number; bytesPerSecond: number }
  | { type: 'download-retrying'; id: string; attempt: number; delayMs: number; retryAt: string; error: { code: string; message: string } };

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

/**
 * A download that failed for good: a stable code and a reason naming the (redacted) URL. Codes:
 * E_HTTP_<status>, E_NETWORK, E_DNS, E_TIMEOUT, E_TRUNCATED, E_BAD_RESPONSE, E_REDIRECTS,
 * E_NOT_AN_IMAGE, E_TOO_LARGE, E_EMPTY_BODY, E_BAD_URL, E_WRITE, E_DISK_FULL, E_ABORTED.
 * DownloadError (errors.ts) implements it.
 */
export interface DownloadFailure {
  code: string;
  message: string;
  attempts: number;
}
