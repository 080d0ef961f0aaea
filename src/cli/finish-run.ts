/**
 * The end of a run, once its work is over: the journal closed, the report written, the summary
 * shown (by the dashboard or as plain lines), and the exit code that says how it went.
 */
import { join } from 'node:path';
import type { Detector, Keypoint } from '../analysis/detectors.js';
import type { RunState } from '../orchestrator/state.js';
import { buildReport, ReportWriteError, writeReport } from '../report/report.js';
import { KeypointsReadError, reportKeypoints } from '../report/report-keypoints.js';
import type { MountedDashboard } from '../ui/mount-dashboard.js';
import { VERSION } from '../version.js';
import { EXIT } from './exit-codes.js';
import type { RunJournal } from './journal.js';
import { summaryLines } from './plain-output.js';

export interface FinishOptions {
  out: string;
  json: boolean;
  journal: RunJournal;
  /** Stars not yet on disk in the journal (see journalRun): the report takes them from here. */
  held: ReadonlyMap<string, readonly Keypoint[]>;
  detector: Detector;
  /** The run's dashboard, which prints the summary itself; none for plain output and --json. */
  dashboard: MountedDashboard | undefined;
  /** How long the run took so far, ms (for the plain summary). */
  elapsedMs: () => number;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Closes the journal, writes the report and the summary; returns the run's exit code. */
export async function finishRun(state: RunState, options: FinishOptions): Promise<number> {
  const { out, journal, dashboard, stderr } = options;
  const journalError = await journal.writer.close();
  if (journalError) {
    stderr.write(`stardash: could not keep ${out}/run.jsonl up to date (${journalError.code ?? journalError.message}): a --resume of this run may redo some images.\n`);
  }
  let written: { json: string } | undefined;
  let reportError: string | undefined;
  try {
    const keypoints = await reportKeypoints(state, { out, held: options.held, carried: journal.carried });
    written = await writeReport(out, buildReport(state, { version: VERSION, detectorParams: options.detector.params, out }, keypoints));
  } catch (cause) {
    reportError = reportFailure(cause, out);
  }
  // The summary says what the run did even when its report could not be written (a full disk).
  if (dashboard) {
    dashboard.printSummary(state, Date.now(), written !== undefined);
  } else if (!options.json) {
    const lines = summaryLines(state, options.elapsedMs(), written?.json, join(out, 'processed'));
    options.stdout.write(lines.join('\n') + '\n');
  }
  if (reportError !== undefined) {
    stderr.write(`stardash: ${reportError}\n`);
    return EXIT.failed;
  }
  if (state.interrupted) return EXIT.interrupted;
  return state.counts.failed > 0 ? EXIT.failed : EXIT.ok;
}

/** Why the report was not written, for stderr after `stardash: `, and how to get it. */
function reportFailure(cause: unknown, out: string): string {
  if (cause instanceof KeypointsReadError) return cause.message;
  const problem = cause instanceof ReportWriteError ? cause.message : `Cannot write the report in ${out}: ${String(cause)}`;
  return `${problem}; the annotated images are in ${join(out, 'processed')}, and once the report can be written there the same command with --resume writes it without analysing them again.`;
}
