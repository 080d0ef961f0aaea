import { Downloader } from '../download/downloader.js';
import { ApodError, checkApodOptions, DEFAULT_APOD_URL, DEMO_KEY, fetchApodListing, resolveApiKey, type ApodOptions as ApodRequestOptions } from '../sources/apod.js';
import { hideEverywhere } from '../secrets.js';
import { demoDate, parseDemoImagePath, startDemoServerProcess, truthForUrl } from '../sources/demo/index.js';
import type { RemoteListing } from '../sources/remote.js';
import { readUrlList } from '../sources/urls.js';
import { holdingOut } from './hold-out.js';
import { EXIT } from './exit-codes.js';
import { executeRun, type CommandIo, type RunOptions, type RunPlan } from './run.js';

/** The download options every remote command takes (spec/cli.md). */
export interface DownloadOptions {
  concurrency: number;
  /** @default the Downloader's (4) */
  perHost?: number;
  retries: number;
  timeout: number;
  maxBytes: number;
}

export interface DemoOptions {
  count: number;
  seed: number;
  latency: number;
  bandwidth?: number;
  faults: boolean;
  /** The fault set repeats every this many images (long runs; see DemoServerOptions). */
  faultPeriod?: number;
}

export interface ApodOptions {
  count?: number;
  date?: string;
  startDate?: string;
  endDate?: string;
  apiKey?: string;
  apiUrl?: string;
  sd: boolean;
}

/** `stardash demo`: the embedded sky server on 127.0.0.1 (in a process of its own), used exactly as APOD is. */
export function runDemo(demo: DemoOptions, download: DownloadOptions, options: RunOptions, io: CommandIo): Promise<number> {
  return holdingOut(options, io, (notices) => demoRun(demo, download, options, { ...io, notices }));
}

async function demoRun(demo: DemoOptions, download: DownloadOptions, options: RunOptions, io: CommandIo): Promise<number> {
  const server = await startDemoServerProcess({
    seed: demo.seed,
    count: demo.count,
    latencyMs: demo.latency,
    faults: demo.faults,
    ...(demo.bandwidth === undefined ? {} : { bandwidthKiBps: demo.bandwidth }),
    ...(demo.faultPeriod === undefined ? {} : { faultPeriod: demo.faultPeriod }),
  });
  try {
    const faults = demo.faults ? ', faults on' : '';
    // One local host serves everything: the per-host limit would otherwise cap -c at 4.
    const local = { ...download, perHost: download.concurrency };
    const source = `sky server ${new URL(server.url).host} · seed ${demo.seed}${faults}`;
    return await runListing(
      { command: 'demo', source },
      async (signal) => {
        await server.ready;
        // The whole catalogue as one APOD date range, fetched with the real APOD client.
        const listing = await fetchApodListing({
          apiUrl: server.apiUrl,
          apiKey: server.apiKey,
          startDate: demoDate(server.count - 1),
          endDate: demoDate(0),
          signal,
        });
        for (const image of listing.images) {
          const url = image.url;
          if (parseDemoImagePath(url)) image.truth = () => truthForUrl(server.seed, url) ?? [];
          // The server's port changes every run; the seed and the path name the image (--resume).
          image.key = `demo seed ${server.seed} ${new URL(image.url).pathname}`;
        }
        return { listing, header: `stardash demo: ${listing.images.length} skies from ${server.url} (seed ${demo.seed}${faults})` };
      },
      local,
      options,
      io,
    );
  } finally {
    await server.close();
  }
}

/** `stardash apod`: NASA's Astronomy Picture of the Day. */
export async function runApod(apod: ApodOptions, download: DownloadOptions, options: RunOptions, io: CommandIo): Promise<number> {
  const apiKey = resolveApiKey(apod.apiKey);
  const request: ApodRequestOptions = {
    apiKey,
    preferSd: apod.sd,
    timeoutMs: download.timeout,
    ...(apod.apiUrl ? { apiUrl: apod.apiUrl } : {}),
    ...(apod.count !== undefined ? { count: apod.count } : {}),
    ...(apod.date ? { date: apod.date } : {}),
    ...(apod.startDate ? { startDate: apod.startDate } : {}),
    ...(apod.endDate ? { endDate: apod.endDate } : {}),
  };
  try {
    // Bad options are refused before --out is touched (holdingOut makes it and takes its lock).
    checkApodOptions(request);
  } catch (error) {
    if (!(error instanceof ApodError)) throw error;
    return apodRefused(error, io);
  }
  // The key may come back inside image URLs under any name: every message and file hides it.
  const forget = apiKey === DEMO_KEY ? undefined : hideEverywhere(apiKey);
  try {
    return await holdingOut(options, io, (notices) => apodRun(apod, request, download, options, { ...io, notices }));
  } finally {
    forget?.();
  }
}

/** An APOD error on stderr; exit 2 for what the user can fix in the command (usage, the key), else 1. */
function apodRefused(error: ApodError, io: Pick<CommandIo, 'stderr'>): number {
  io.stderr.write(`stardash: ${error.message}\n`);
  return error.code === 'E_USAGE' || error.code === 'E_API_KEY' ? EXIT.usage : EXIT.failed;
}

async function apodRun(apod: ApodOptions, request: ApodRequestOptions, download: DownloadOptions, options: RunOptions, io: CommandIo): Promise<number> {
  let listing: RemoteListing;
  try {
    listing = await fetchApodListing(request);
  } catch (error) {
    if (!(error instanceof ApodError)) throw error;
    return apodRefused(error, io);
  }
  const header = `stardash apod: ${listing.images.length} image(s), ${listing.skipped.length} skipped`;
  return runListing({ command: 'apod', source: new URL(apod.apiUrl ?? DEFAULT_APOD_URL).host }, async () => ({ listing, header }), download, options, io);
}

/** `stardash urls FILE|-`: one URL a line. */
export async function runUrls(file: string, download: DownloadOptions, options: RunOptions, io: CommandIo): Promise<number> {
  let listing: RemoteListing;
  try {
    listing = await readUrlList(file);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'E_USAGE') throw error;
    io.stderr.write(`stardash: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
  const from = file === '-' ? 'standard input' : file;
  const header = `stardash urls: ${listing.images.length} URL(s) from ${from}, ${listing.skipped.length} skipped`;
  return holdingOut(options, io, (notices) => runListing({ command: 'urls', source: from }, async () => ({ listing, header }), download, options, { ...io, notices }));
}

/** Runs a remote command: `list` gives its images (once the dashboard is up), each is downloaded and analysed. */
function runListing(
  plan: Pick<RunPlan, 'command' | 'source'>,
  list: (signal: AbortSignal) => Promise<{ listing: RemoteListing; header: string }>,
  download: DownloadOptions,
  options: RunOptions,
  io: CommandIo,
): Promise<number> {
  return executeRun(
    {
      ...plan,
      downloads: (dir) =>
        new Downloader({
          dir,
          concurrency: download.concurrency,
          ...(download.perHost ? { perHost: download.perHost } : {}),
          retries: download.retries,
          timeoutMs: download.timeout,
          maxBytes: download.maxBytes,
        }),
      start: async (orchestrator, announce) => {
        let listed;
        try {
          listed = await list(orchestrator.signal);
        } catch (error) {
          // Stopped while listing: an interrupted run with nothing in it.
          if (orchestrator.signal.aborted) return orchestrator.runRemote({ images: [], skipped: [] });
          throw error;
        }
        announce(listed.header);
        return orchestrator.runRemote(listed.listing);
      },
    },
    options,
    io,
  );
}
