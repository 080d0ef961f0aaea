import { availableParallelism } from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import { SEED_BLOB_PARAMS } from './analysis/blob/params.js';
import { DEFAULT_MAX_PIXELS } from './analysis/limits.js';
import { DEFAULT_SKY_PARAMS } from './analysis/sky/params.js';
import { DETECTOR_NAMES, type DetectorSpec } from './analysis/detectors.js';
import { detectorName, detectorParam, isoDate, positiveInt, wholeNumber, wrap } from './cli/options.js';
import type { DownloadOptions } from './cli/remote.js';
import { EXIT } from './cli/exit-codes.js';
import type { CommandIo, RunOptions } from './cli/run.js';
import { VERSION } from './version.js';

interface CommonFlags {
  out: string;
  workers: number;
  detector: DetectorSpec['name'];
  param?: Record<string, number | boolean>;
  tui: boolean;
  color: boolean;
  json?: boolean;
  record?: string;
  analysisTimeout: number;
  maxPixels: number;
  resume?: boolean;
}

interface DownloadFlags extends CommonFlags, Omit<DownloadOptions, 'timeout'> {
  timeout?: number;
  twoPhase?: boolean;
}

const FOOTER = `
Detector parameters (-p) of blob, the seed's OpenCV SimpleBlobDetector:
${wrap(Object.keys(SEED_BLOB_PARAMS).join(', '), 78, '  ')}
Of sky (--detector sky: mesh background, k·σ threshold, deblending, sub-pixel centres):
${wrap(Object.entries(DEFAULT_SKY_PARAMS).map(([key, value]) => `${key}=${value}`).join(', '), 78, '  ')}
Outputs in --out: downloads/ (originals), processed/ (a red circle on every star),
report.json and report.csv, run.jsonl (what --resume reads: each image as it is done),
.stardash.lock while a run uses the folder (a second run there is refused: exit 2).
Exit status: 0 all done, 1 some image failed, 2 bad usage, 130 interrupted, 70 a bug in stardash.`;

/** Runs the command line `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command()
    .name('stardash')
    .description('Fetch astronomy images concurrently, count their stars on every CPU core, and watch it happen live.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\nStart with `stardash demo`: it needs no network.');

  withDownloadOptions(
    program
      .command('demo')
      .description('fully offline: generated skies from an embedded server on 127.0.0.1, through the whole pipeline')
      .option('--count <n>', 'images', positiveInt, 24)
      .option('--seed <n>', 'which skies (the same seed gives the same images)', wholeNumber, 1)
      .option('--latency <ms>', 'server delay before each response', wholeNumber, 0)
      .option('--bandwidth <kibps>', 'server speed per response, KiB/s', positiveInt)
      .option('--faults', 'inject the fault set: 5xx, 429, truncated, reset, 404, HTML, stall'),
    'stardash demo --count 48 --faults',
  ).action(async (flags: DownloadFlags & { count: number; seed: number; latency: number; bandwidth?: number; faults?: boolean }) => {
    const demo = { count: flags.count, seed: flags.seed, latency: flags.latency, faults: flags.faults ?? false };
    const { runDemo } = await import('./cli/remote.js');
    exitCode = await runDemo({ ...demo, ...(flags.bandwidth ? { bandwidth: flags.bandwidth } : {}) }, downloadOptions(flags, 5_000), runOptions(flags), io);
  });

  withDownloadOptions(
    program
      .command('apod')
      .description("NASA's Astronomy Picture of the Day: random, one date, or a date range")
      .option('--count <n>', 'that many random pictures, 1–100 (the default: 10, when no date is given)', positiveInt)
      .option('--date <date>', 'the picture of one day, YYYY-MM-DD', isoDate)
      .option('--start-date <date>', 'from this day…', isoDate)
      .option('--end-date <date>', '…to this day', isoDate)
      .option('--api-key <key>', 'your api.nasa.gov key (else env NASA_API_KEY, else DEMO_KEY)')
      .option('--api-url <url>', 'the APOD endpoint', 'https://api.nasa.gov/planetary/apod')
      .option('--sd', 'download `url` (standard size) instead of `hdurl`'),
    'stardash apod --count 10\n  stardash apod --start-date 2024-07-01 --end-date 2024-07-14 --json',
  ).action(async (flags: DownloadFlags & { count?: number; date?: string; startDate?: string; endDate?: string; apiKey?: string; apiUrl: string; sd?: boolean }) => {
    const apod = {
      apiUrl: flags.apiUrl,
      sd: flags.sd ?? false,
      ...(flags.apiKey === undefined ? {} : { apiKey: flags.apiKey }),
      ...(flags.count === undefined ? {} : { count: flags.count }),
      ...(flags.date === undefined ? {} : { date: flags.date }),
      ...(flags.startDate === undefined ? {} : { startDate: flags.startDate }),
      ...(flags.endDate === undefined ? {} : { endDate: flags.endDate }),
    };
    if (apod.count === undefined && apod.date === undefined && apod.startDate === undefined) apod.count = 10;
    const { runApod } = await import('./cli/remote.js');
    exitCode = await runApod(apod, downloadOptions(flags), runOptions(flags), io);
  });

  withDownloadOptions(
    program
      .command('urls')
      .description('images from a list: one URL a line (- reads standard input; # comments)')
      .argument('<file>', 'the list, or - for standard input'),
    'stardash urls my-sky.txt -c 4\n  cat list.txt | stardash urls - --json',
  ).action(async (file: string, flags: DownloadFlags) => {
    const { runUrls } = await import('./cli/remote.js');
    exitCode = await runUrls(file, downloadOptions(flags), runOptions(flags), io);
  });

  withCommonOptions(
    program
      .command('analyze')
      .description('count the stars in local images and folders (recursive); nothing is downloaded')
      .argument('<path...>', 'image files and folders')
      .addHelpText(
        'after',
        `
Examples:
  stardash analyze ~/Pictures/night-sky                 every image in the folder and below
  stardash analyze m45.jpg -o m45-out -p minArea=5      smaller stars count too
  stardash analyze sky/ --json | jq -c 'select(.type == "analysis-done")'
${FOOTER}`,
      ),
  ).action(async (paths: string[], flags: CommonFlags) => {
    const { runAnalyze } = await import('./cli/analyze.js');
    exitCode = await runAnalyze(paths, runOptions(flags), io);
  });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const code = (error as { code?: unknown }).code;
    if (code === 'E_DETECTOR_PARAMS') {
      io.stderr.write(`stardash: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

function runOptions(flags: CommonFlags & { twoPhase?: boolean }): RunOptions {
  return {
    out: flags.out,
    workers: flags.workers,
    detector: { name: flags.detector, params: flags.param ?? {} },
    json: flags.json ?? false,
    analysisTimeout: flags.analysisTimeout,
    maxPixels: flags.maxPixels,
    tui: flags.tui,
    color: flags.color,
    ...(flags.record === undefined ? {} : { record: flags.record }),
    ...(flags.twoPhase ? { twoPhase: true } : {}),
    ...(flags.resume ? { resume: true } : {}),
  };
}

/** The demo's server is local: a stall there shows after seconds, not the half minute a real server gets. */
function downloadOptions(flags: DownloadFlags, defaultTimeout = 30_000): DownloadOptions {
  return { concurrency: flags.concurrency, retries: flags.retries, timeout: flags.timeout ?? defaultTimeout, maxBytes: flags.maxBytes };
}

/** The options every command takes (spec/cli.md). */
function withCommonOptions(command: Command): Command {
  return command
    .option('-o, --out <dir>', 'output folder', './stardash-out')
    .option('-w, --workers <n>', 'analysis worker threads', positiveInt, availableParallelism())
    .addOption(new Option('--detector <name>', `star detector: ${DETECTOR_NAMES.join(', ')}`).default('blob').argParser(detectorName))
    .option('-p, --param <key=value>', 'detector parameter, repeatable (for example -p minArea=5)', detectorParam)
    .option('--no-tui', 'plain line output even on a terminal')
    .option('--json', 'one JSON event a line on stdout (implies --no-tui)')
    .option('--no-color', 'no colours (as NO_COLOR does)')
    .option('--record <file>', 'save what the terminal shows (the dashboard, then the summary) as an asciicast v2 for asciinema play; stdout must be a terminal (else exit 2)')
    .option('--analysis-timeout <ms>', 'fail an image whose analysis takes longer, and replace its worker', positiveInt, 120_000)
    .option('--max-pixels <n>', 'refuse images with more pixels (decompression bombs)', positiveInt, DEFAULT_MAX_PIXELS)
    .option(
      '--resume',
      'continue the run recorded in --out (its run.jsonl): images it finished are kept, neither downloaded nor analysed again; ' +
        'the rest are done. Refused (exit 2) if that run had another command, detector or -p parameters',
    );
}

/** The common options plus the download ones, and an examples footer. */
function withDownloadOptions(command: Command, examples: string): Command {
  return withCommonOptions(command)
    .option('-c, --concurrency <n>', 'downloads at once', positiveInt, 8)
    .option('--retries <n>', 'further attempts after a transient failure', wholeNumber, 3)
    .option('--timeout <ms>', 'connect and idle timeout of a download (default: 30000; demo: 5000)', positiveInt)
    .option('--max-bytes <n>', 'refuse larger downloads', positiveInt, 500 * 1024 * 1024)
    .option('--two-phase', 'download everything before analysing anything, as the seed did (to compare)')
    .addHelpText('after', `\nExamples:\n  ${examples}\n${FOOTER}`);
}
