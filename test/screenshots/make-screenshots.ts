/**
 * `npm run screenshots`: remakes screenshots/ from a fixed-seed demo with faults, recorded in a
 * real terminal (tmux, installed from Debian's packages when missing) with `--record`:
 *
 *   demo.cast       the session, for `asciinema play screenshots/demo.cast`
 *   dashboard.png   mid-run: task rows, CPU panel, the preview of the latest image
 *   paused.png      paused with `p`
 *   summary.png     the summary the run leaves in the scroll-back
 *   demo.svg        the whole run, animated
 *
 * The pictures are drawn from the cast itself: it is played into a headless xterm.js and each
 * chosen screen drawn as SVG (screen-svg.ts), turned into PNG by sharp. No browser, no font but
 * the system's DejaVu Sans Mono (box lines, bars and braille are drawn as shapes).
 *
 * Options: --out DIR (default screenshots/), --count N, --seed N, --bandwidth KIBPS, --fps N (of the
 * animation), --cast FILE (draw from this recording instead of making one).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { parseCast, type Cast } from '../helpers/asciicast.js';
import { repoRoot } from '../helpers/fixtures.js';
import { animatedSvg, frameOf, mergeRepeats, type Frame } from './animated-svg.js';
import { ensureTmux, recordDemo } from './record-demo.js';
import { CastPlayer, screenText, type Screen } from './replay.js';
import { screenSvg } from './screen-svg.js';

export interface Sample {
  time: number;
  text: string;
}

export interface Moments {
  /** Mid-run: rows downloading, the CPU panel, the braille preview. */
  running: number;
  paused: number;
  summary: number;
}

const BRAILLE_DOT = /[\u2801-\u28ff]/;

/** The last item that `accept` takes (Array#findLast is ES2023, past this project's lib). */
function lastWhere<T>(items: readonly T[], accept: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (accept(items[i]!)) return items[i];
  return undefined;
}

/**
 * Which times of the run the pictures show, chosen by what the screen shows then. Mid-run is the
 * middle of the stretch after the pause with downloads, the CPU panel and a preview all showing
 * (else the last such screen before the pause); paused is the end of the pause, when the workers
 * have gone idle; the summary is the end.
 */
export function pickMoments(samples: readonly Sample[]): Moments {
  const firstPaused = samples.findIndex((sample) => sample.text.includes('PAUSED'));
  if (firstPaused < 0) throw new Error('the recording never shows PAUSED: the pause key was not recorded.');
  const paused = lastWhere(samples, (sample) => sample.text.includes('PAUSED'))!;
  const summary = samples.at(-1)!;
  if (!summary.text.includes('finished in')) throw new Error(`the recording does not end on the summary:\n${summary.text}`);
  const full = (sample: Sample): boolean => sample.text.includes('cpu0') && BRAILLE_DOT.test(sample.text) && sample.text.includes('downloading');
  const after = samples.slice(samples.indexOf(paused) + 1).filter(full);
  const before = samples.slice(0, firstPaused);
  const running = after[Math.floor(after.length / 2)] ?? lastWhere(before, full) ?? lastWhere(before, (sample) => sample.text.includes('cpu0'));
  if (running === undefined) throw new Error('the recording never shows the dashboard running.');
  return { running: running.time, paused: paused.time, summary: summary.time };
}

/** The screen cut after its last line with text (and one blank line), as a window sized to the summary. */
function trimmed(screen: Screen): Screen {
  const lines = screenText(screen).split('\n');
  let used = lines.length - 1;
  while (used > 0 && lines[used] === '') used--;
  const rows = Math.min(screen.rows, used + 2);
  return { ...screen, rows, cells: screen.cells.slice(0, rows) };
}

/** Plays the cast once, sampling every `step` seconds from the first output on. */
async function sample<T>(cast: Cast, step: number, take: (screen: Screen) => T): Promise<T[]> {
  const player = new CastPlayer(cast);
  try {
    const start = cast.events[0]?.[0] ?? 0;
    const out: T[] = [];
    for (let time = start; ; time += step) {
      out.push(take(await player.playTo(Math.min(time, player.duration))));
      if (time >= player.duration) return out;
    }
  } finally {
    player.dispose();
  }
}

async function png(svg: string, file: string): Promise<void> {
  // Twice the SVG's pixels, as a high-density screen shows it; 256 colours are plenty for a terminal.
  await sharp(Buffer.from(svg), { density: 144 }).png({ palette: true, compressionLevel: 9 }).toFile(file);
}

export interface ScreenshotOptions {
  out: string;
  count: number;
  seed: number;
  bandwidth: number;
  fps: number;
  /** Draw from this cast instead of recording a new one. */
  cast?: string;
  log: (line: string) => void;
}

/** Records the demo and writes every file into `out`; returns the files written. */
export async function makeScreenshots(options: ScreenshotOptions): Promise<string[]> {
  const { log } = options;
  await mkdir(options.out, { recursive: true });
  const args = ['--count', String(options.count), '--seed', String(options.seed), '--faults', '--bandwidth', String(options.bandwidth), '-w', '2'];
  const title = `stardash demo ${args.join(' ')}`;
  const columns = 120;
  const rows = 36;
  const castFile = options.cast ?? join(options.out, 'demo.cast');
  if (options.cast === undefined) {
    await ensureTmux(log);
    const exit = await recordDemo(castFile, { args, columns, rows, pauseMs: 2_000 }, log);
    log(`recorded ${castFile} (${exit})`);
  }
  const cast = parseCast(await readFile(castFile, 'utf8'));

  const moments = pickMoments(await sample(cast, 0.1, (screen) => ({ time: screen.time, text: screenText(screen) })));
  const stills: [string, number, (screen: Screen) => Screen][] = [
    ['dashboard.png', moments.running, (screen) => screen],
    ['paused.png', moments.paused, (screen) => screen],
    ['summary.png', moments.summary, trimmed],
  ];
  const written = [castFile];
  const player = new CastPlayer(cast);
  try {
    for (const [name, time, shape] of stills.sort((a, b) => a[1] - b[1])) {
      await png(screenSvg(shape(await player.playTo(time)), title), join(options.out, name));
      written.push(join(options.out, name));
    }
  } finally {
    player.dispose();
  }

  const step = 1 / options.fps;
  const sampled = await sample(cast, step, (screen) => frameOf(screen, step));
  // The film starts on the first drawn frame, not on the blank terminal before it.
  const frames: Frame[] = mergeRepeats(sampled.slice(Math.max(0, sampled.findIndex((frame) => frame.rows.some((row) => row !== '')))));
  // The summary stays a while before the film starts again.
  const last = frames.at(-1)!;
  frames[frames.length - 1] = { ...last, seconds: last.seconds + 5 };
  const svgFile = join(options.out, 'demo.svg');
  await writeFile(`${svgFile}.part`, animatedSvg(frames, columns, rows, title));
  await rename(`${svgFile}.part`, svgFile);
  written.push(svgFile);
  return written;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: join(repoRoot, 'screenshots') },
      count: { type: 'string', default: '24' },
      seed: { type: 'string', default: '1' },
      bandwidth: { type: 'string', default: '400' },
      fps: { type: 'string', default: '4' },
      cast: { type: 'string' },
    },
  });
  const written = await makeScreenshots({
    out: values.out,
    count: Number(values.count),
    seed: Number(values.seed),
    bandwidth: Number(values.bandwidth),
    fps: Number(values.fps),
    ...(values.cast === undefined ? {} : { cast: values.cast }),
    log: (line) => console.log(line),
  });
  for (const file of written) console.log(`wrote ${file}`);
}
