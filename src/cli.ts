import { availableParallelism } from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import { DEFAULT_MAX_PIXELS } from './analysis/decode.js';
import { SEED_BLOB_PARAMS } from './analysis/blob/params.js';
import { DETECTOR_NAMES, type DetectorSpec } from './analysis/detectors.js';
import { EXIT, runAnalyze, type CommandIo } from './cli/analyze.js';
import { detectorName, detectorParam, positiveInt } from './cli/options.js';
import { VERSION } from './cli/version.js';

interface CommonFlags {
  out: string;
  workers: number;
  detector: DetectorSpec['name'];
  param?: Record<string, number | boolean>;
  tui: boolean;
  json?: boolean;
  analysisTimeout: number;
  maxPixels: number;
}

/** Runs the command line `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command()
    .name('stardash')
    .description('Fetch astronomy images concurrently, count their stars on every CPU core, and watch it happen live.')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)');

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

Detector parameters (-p) of blob, the seed's OpenCV SimpleBlobDetector:
${wrap(Object.keys(SEED_BLOB_PARAMS).join(', '), 78, '  ')}
Outputs: OUT/processed/ (a red circle on every star), OUT/report.json, OUT/report.csv.
Exit status: 0 all done, 1 some image failed, 2 bad usage, 130 interrupted.`,
      ),
  ).action(async (paths: string[], flags: CommonFlags) => {
    exitCode = await runAnalyze(
      paths,
      {
        out: flags.out,
        workers: flags.workers,
        detector: { name: flags.detector, params: flags.param ?? {} },
        json: flags.json ?? false,
        analysisTimeout: flags.analysisTimeout,
        maxPixels: flags.maxPixels,
      },
      io,
    );
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

/** Word-wraps `text` at `width` columns, each line indented. */
function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, indent + line].join('\n');
}

/** The options every command takes (spec/cli.md). */
function withCommonOptions(command: Command): Command {
  return command
    .option('-o, --out <dir>', 'output folder', './stardash-out')
    .option('-w, --workers <n>', 'analysis worker threads', positiveInt, availableParallelism())
    .addOption(
      new Option('--detector <name>', `star detector: ${DETECTOR_NAMES.join(', ')}`).default('blob').argParser(detectorName),
    )
    .option('-p, --param <key=value>', 'detector parameter, repeatable (for example -p minArea=5)', detectorParam)
    .option('--no-tui', 'plain line output even on a terminal')
    .option('--json', 'one JSON event a line on stdout (implies --no-tui)')
    .option('--analysis-timeout <ms>', 'fail an image whose analysis takes longer, and replace its worker', positiveInt, 120_000)
    .option('--max-pixels <n>', 'refuse images with more pixels (decompression bombs)', positiveInt, DEFAULT_MAX_PIXELS);
}
