import { join } from 'node:path';
import { redactText } from '../secrets.js';
import { createDetector, type Detector, type DetectorSpec, type Keypoint } from '../analysis/detectors.js';
import { makeFolder } from '../disk-errors.js';
import { AnalysisPool } from '../analysis/pool.js';
import { Orchestrator, type Downloads } from '../orchestrator/orchestrator.js';
import type { RunState } from '../orchestrator/state.js';
import { journalRun, startJournal, type RunJournal } from './journal.js';
import { noticeLine, type NoticeSource } from './notices.js';
import { EXIT } from './exit-codes.js';
import { finishRun } from './finish-run.js';
import { jsonLine, plainLine } from './plain-output.js';
import { checkRecordable, RecordError, startRecording, type Recording } from './record.js';
import type { MountedDashboard } from '../ui/mount-dashboard.js';
import { colorEnabled } from '../ui/theme.js';
import type { SignalSource } from '../launch/relayed-signals.js';

/** What every command's run takes (spec/cli.md, "Options every command takes"). */
export interface RunOptions {
  out: string;
  workers: number;
  detector: DetectorSpec;
  json: boolean;
  analysisTimeout: number;
  maxPixels: number;
  twoPhase?: boolean;
  /** The live dashboard when stdout is a terminal (`--no-tui` turns it off; `--json` implies off). @default true */
  tui?: boolean;
  /** Colours (`--no-color`; NO_COLOR in the environment also turns them off). @default true */
  color?: boolean;
  /** An asciicast of everything written to the terminal goes to this file (`--record`); stdout must be a terminal. */
  record?: string;
  /** Continue the run recorded in `out` (its run.jsonl): what it finished is kept, not redone (`--resume`). @default false */
  resume?: boolean;
  /**
   * How often the --out lock is refreshed and checked (OutLockOptions.refreshMs): tests lose it on
   * purpose and need not wait the default 15 s for the run to notice.
   * @default STALE_MS / 2
   */
  lockRefreshMs?: number;
  /**
   * Whether done images keep a thumbnail in the run's state: the dashboard's preview needs them,
   * nothing else does (`npm run bench:retained` keeps them to measure them). @default whether the dashboard shows
   */
  thumbnails?: boolean;
  /** Hands the run's orchestrator and worker pool to a benchmark before it starts (`npm run bench:soak` samples their memory). */
  inspect?: (run: { orchestrator: Orchestrator; pool: AnalysisPool }) => void;
}

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Where SIGINT/SIGTERM come from (the process, its relayed signals, or a test's emitter). */
  signals: SignalSource;
  /** Ends the process at once (a second Ctrl-C). @default process.exit */
  exit?: (code: number) => void;
  /** Warnings from outside the run (a lost --out lock: holdingOut's), for the run to show its way. */
  notices?: NoticeSource;
}

/** A command's own part: what to say first, and how to start its tasks on the orchestrator. */
export interface RunPlan {
  command: string;
  /** Where the images come from, short, for the dashboard's title (e.g. `sky server 127.0.0.1:40123`). */
  source: string;
  /** Makes the downloader for remote commands (given the downloads folder). */
  downloads?: (dir: string) => Downloads;
  /**
   * Lists the images and runs them on the orchestrator. The dashboard is already up, so a listing
   * that takes time shows as "waiting for the source"; `announce` gives plain output its first line.
   */
  start: (orchestrator: Orchestrator, announce: (header: string) => void) => Promise<RunState>;
}

/**
 * Runs a command end to end: output folder, worker pool, orchestrator, plain or JSON lines,
 * Ctrl-C (first: clean stop; second: exit at once), the report and the summary. Returns the exit code.
 */
export async function executeRun(plan: RunPlan, options: RunOptions, terminal: CommandIo): Promise<number> {
  const detector = createDetector(options.detector);
  // Ink and React load (a hundred milliseconds) while the folder and the journal are prepared.
  const dashboard = wantsDashboard(options, terminal) ? loadDashboard(dashboardColor(options)) : undefined;
  // An unusable --out or --record is bad configuration (exit 2), found before any worker starts;
  // --record without a terminal before the journal, which would replace the one in --out.
  try {
    if (options.record !== undefined) checkRecordable(terminal);
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    terminal.stderr.write(`stardash: ${error.message}\n`);
    return EXIT.usage;
  }
  const outError = await prepareOut(options.out);
  if (outError !== undefined) {
    terminal.stderr.write(`stardash: ${outError}\n`);
    return EXIT.usage;
  }
  const journal = await startJournal(options.out, plan.command, detector, options.resume ?? false);
  if (typeof journal === 'string') {
    terminal.stderr.write(`stardash: ${journal}\n`);
    return EXIT.usage;
  }
  for (const note of journal.notes) terminal.stderr.write(`${note}\n`);
  let recording: Recording<CommandIo> | undefined;
  try {
    recording = options.record === undefined ? undefined : startRecording(options.record, terminal);
  } catch (error) {
    if (!(error instanceof RecordError)) throw error;
    terminal.stderr.write(`stardash: ${error.message}\n`);
    await journal.writer.close();
    return EXIT.usage;
  }
  try {
    return await runRecorded(plan, options, { detector, journal, dashboard }, recording?.io ?? terminal, () => recording?.close());
  } finally {
    recording?.close();
    await journal.writer.close();
  }
}

/** What executeRun has made ready for runRecorded; `dashboard` is loading when there will be one. */
interface Prepared {
  detector: Detector;
  journal: RunJournal;
  dashboard: Promise<typeof import('../ui/mount-dashboard.js')> | undefined;
}

/** executeRun once the output folder and the recording are in place; `finishRecording` before a hard exit. */
async function runRecorded(plan: RunPlan, options: RunOptions, { detector, journal, dashboard: dashboardModule }: Prepared, io: CommandIo, finishRecording: () => void): Promise<number> {
  const started = performance.now();
  // Started below: on a terminal, once the dashboard is up (starting workers takes every core for a second).
  const pool = AnalysisPool.create({ size: options.workers, timeoutMs: options.analysisTimeout });
  const downloads = plan.downloads?.(join(options.out, 'downloads'));
  const tui = dashboardModule !== undefined;
  const orchestrator = new Orchestrator({
    command: plan.command,
    out: options.out,
    detector: options.detector,
    maxPixels: options.maxPixels,
    pool,
    ...(downloads ? { downloads } : {}),
    ...(options.twoPhase ? { twoPhase: true } : {}),
    restored: journal.restored,
    thumbnails: options.thumbnails ?? tui, // only the dashboard shows them
  });
  // Stars not yet on disk in the journal (see journalRun): the report takes them from here.
  const held = new Map<string, readonly Keypoint[]>();
  journalRun(orchestrator, journal.writer, options.out, held);
  options.inspect?.({ orchestrator, pool });
  const color = dashboardColor(options);
  if (!tui) {
    orchestrator.on((event, state) => {
      // A notice is a record of its own in --json, a line on stderr in plain output.
      if (event.type === 'notice' && !options.json) return void io.stderr.write(noticeLine(event));
      const line = options.json ? (event.type === 'download-progress' ? undefined : jsonLine(event)) : plainLine(event, state);
      if (line !== undefined) io.stdout.write(`${line}\n`);
    });
  }
  // Every output shows a notice from the orchestrator's events (the dashboard in its frame).
  const stopNotices = io.notices?.on((notice) => orchestrator.notice(notice));
  const announce = (header: string): void => {
    const kept = journal.restored.size > 0 ? `, resuming (${journal.restored.size} done before)` : '';
    if (!tui && !options.json) io.stdout.write(`${header}, ${pool.size} worker(s), detector ${detector.name} → ${options.out}${kept}\n`);
  };

  let dashboard: MountedDashboard | undefined;
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts === 1) {
      // The dashboard shows the stop itself; a line on stderr would tear its frame.
      if (!tui) io.stderr.write('Stopping… (press Ctrl-C again to quit at once)\n');
      void orchestrator.stop();
    } else {
      // The second Ctrl-C quits at once: the terminal is given back first, and no report is written.
      dashboard?.unmount();
      io.stderr.write('stardash: quit at once; no report was written (the same command with --resume continues the run).\n');
      finishRecording();
      (io.exit ?? process.exit)(EXIT.interrupted);
    }
  };
  // A bug that throws outside the run's promises would end the process with the dashboard's last
  // frame on screen and exit 1, which says an image failed: give the terminal back and say so.
  const onCrash = (error: unknown): void => {
    dashboard?.unmount();
    io.stderr.write(crashMessage(error, options.out));
    finishRecording();
    (io.exit ?? process.exit)(EXIT.internal);
  };
  io.signals.on('SIGINT', onSignal);
  io.signals.on('SIGTERM', onSignal);
  io.signals.on('uncaughtException', onCrash);
  io.signals.on('unhandledRejection', onCrash);
  try {
    if (tui) {
      // Ink may still be loading (it began in executeRun): a title line says what is starting
      // meanwhile, and is wiped just before the dashboard draws in its place.
      io.stdout.write(startingLine(plan, color));
      const { mountDashboard } = await dashboardModule;
      io.stdout.write('\r\u001B[2K');
      dashboard = mountDashboard({
        run: orchestrator,
        onQuit: () => void orchestrator.stop(),
        onInterrupt: onSignal,
        reportPath: join(options.out, 'report.json'),
        outDir: options.out,
        source: plan.source,
        color,
        stdout: io.stdout as NodeJS.WriteStream,
      });
    }
    void pool.startWorkers();
    const state = await plan.start(orchestrator, announce);
    dashboard?.unmount();
    await pool.close();
    return await finishRun(state, {
      out: options.out,
      json: options.json,
      journal,
      held,
      detector,
      dashboard,
      elapsedMs: () => performance.now() - started,
      stdout: io.stdout,
      stderr: io.stderr,
    });
  } finally {
    // Gives the terminal back (cursor, raw mode) on errors too.
    dashboard?.unmount();
    stopNotices?.();
    io.signals.off('SIGINT', onSignal);
    io.signals.off('SIGTERM', onSignal);
    io.signals.off('uncaughtException', onCrash);
    io.signals.off('unhandledRejection', onCrash);
    await Promise.all([pool.close(), downloads?.close()]);
  }
}

/** What stardash says when it failed itself: the error, that it is a bug, and how to go on. */
export function crashMessage(error: unknown, out: string): string {
  const what = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return (
    `stardash: stopped on an internal error (a bug in stardash; please report it with these lines):\n${redactText(what)}\n` +
    `The images finished so far are kept in ${join(out, 'run.jsonl')}.\nThe same command with --resume continues the run.\n`
  );
}

/** Whether the run shows the live dashboard: stdout is a terminal, and neither --no-tui nor --json. */
function wantsDashboard(options: RunOptions, io: CommandIo): boolean {
  return options.tui !== false && !options.json && (io.stdout as { isTTY?: boolean }).isTTY === true;
}

function dashboardColor(options: RunOptions): boolean {
  return options.color !== false && colorEnabled();
}

/** Starts loading the dashboard; colour first, since chalk reads FORCE_COLOR when it is loaded. */
function loadDashboard(color: boolean): Promise<typeof import('../ui/mount-dashboard.js')> {
  if (!color) process.env['FORCE_COLOR'] = '0';
  const loading = import('../ui/mount-dashboard.js');
  // A run that ends before its dashboard (exit 2) must not leave this unhandled.
  loading.catch(() => undefined);
  return loading;
}

/** The one line shown while the dashboard loads (no line feed: it is wiped in place). */
function startingLine(plan: Pick<RunPlan, 'command' | 'source'>, color: boolean): string {
  const rest = ` · ${plan.source} · starting…`;
  return color ? `\u001B[1;36m✦ stardash\u001B[0m \u001B[1m${plan.command}\u001B[0m\u001B[2m${rest}\u001B[0m` : `✦ stardash ${plan.command}${rest}`;
}

/** Creates `out/processed`; returns why it cannot be, or undefined. */
async function prepareOut(out: string): Promise<string | undefined> {
  try {
    await makeFolder(join(out, 'processed'));
    return undefined;
  } catch (cause) {
    return unusableOut(out, cause);
  }
}

/** Why `out` cannot be the output folder, and what to do (for stderr, after `stardash: `). */
export function unusableOut(out: string, cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
  return `cannot use ${out} as the output folder (${code}): give a folder that can be created and written with --out.`;
}
