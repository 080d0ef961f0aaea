/** The download layer's public surface, for the orchestrator and the CLI. */
export { Downloader, type DownloaderOptions } from './downloader.js';
export { DownloadError } from './errors.js';
export { type ImageKind, detectImageKind } from './image-kind.js';
export { Manifest, MANIFEST_FILE, type ManifestEntry } from './manifest.js';
export { downloadName } from './naming.js';
export { redactText, redactUrl } from '../secrets.js';
export { retryDelay, shouldRetry } from './retry-policy.js';
export type { DownloadEvent, DownloadFailure, DownloadRequest, DownloadResult } from './types.js';
