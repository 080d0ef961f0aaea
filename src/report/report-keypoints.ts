/**
 * The stars of every done image, for the report. The run state keeps only their count (a long run
 * would otherwise hold every star of every image to the end); each done image's stars are in the
 * journal (run.jsonl) as soon as its line is on disk, and in memory until then — or to the end
 * when the line could not be written (a full disk) or the task is not journaled (it has no key).
 */
import type { Keypoint } from '../analysis/detectors.js';
import type { RunState } from '../orchestrator/state.js';
import { JOURNAL_FILE, readJournal, type JournalEntry } from './journal.js';

/** Each done task's stars, by task id. */
export type ReportKeypoints = ReadonlyMap<string, readonly Keypoint[]>;

/** Where a run's stars are at its end. */
export interface KeypointSources {
  /** The output folder (its run.jsonl). */
  out: string;
  /** Stars not (yet) confirmed on disk, by task id: these win over the journal. */
  held: ReadonlyMap<string, readonly Keypoint[]>;
  /** How many entries the journal starts with that are carried over from the run resumed (`--resume`): restored tasks are matched to them by key. */
  carried: number;
  /** Reads the journal. @default readJournal */
  read?: (out: string) => Promise<{ entries: JournalEntry[] } | undefined>;
}

/** The stars of some done images could not be read back from the journal: the report would lack them. */
export class KeypointsReadError extends Error {
  override readonly name = 'KeypointsReadError';
  readonly code = 'E_JOURNAL_READ';
  constructor(
    readonly missing: number,
    message: string,
  ) {
    super(message);
  }
}

const UNREPORTED = ', so no report was written: the same command with --resume writes it, analysing again only the images run.jsonl lacks.';

/**
 * Gathers each done task's stars: from `held`, else from the journal (read once, only when
 * needed). Rejects with a KeypointsReadError when the journal cannot be read or lacks an image.
 */
export async function reportKeypoints(state: RunState, sources: KeypointSources): Promise<ReportKeypoints> {
  const needed = state.tasks.filter((task) => task.status === 'done' && !sources.held.has(task.id)).length;
  const journal = needed === 0 ? { entries: [] } : await (sources.read ?? readJournal)(sources.out);
  const path = `${sources.out}/${JOURNAL_FILE}`;
  if (!journal) {
    throw new KeypointsReadError(needed, `cannot read ${path} back for the stars of ${needed} image(s)${UNREPORTED}`);
  }
  const { keypoints, missing } = matchKeypoints(state, sources.held, journal.entries, sources.carried);
  if (missing.length > 0) {
    throw new KeypointsReadError(missing.length, `${path} lacks the stars of ${missing.length} image(s) (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''})${UNREPORTED}`);
  }
  return keypoints;
}

/**
 * Pure: each done task's stars from `held`, else from the journal's entries — a restored task's
 * from the carried entries (the first `carried`, written under the earlier run's ids) by key, any
 * other's from this run's by id. An entry is used only when its annotated image and star count are
 * the task's. Returns the ids of done tasks found nowhere.
 */
export function matchKeypoints(
  state: RunState,
  held: ReadonlyMap<string, readonly Keypoint[]>,
  entries: readonly JournalEntry[],
  carried: number,
): { keypoints: Map<string, readonly Keypoint[]>; missing: string[] } {
  const byKey = new Map(entries.slice(0, carried).map((entry) => [entry.key, entry]));
  const byId = new Map(entries.slice(carried).map((entry) => [entry.id, entry]));
  const keypoints = new Map<string, readonly Keypoint[]>();
  const missing: string[] = [];
  for (const task of state.tasks) {
    if (task.status !== 'done' || !task.result) continue;
    const kept = held.get(task.id);
    if (kept) {
      keypoints.set(task.id, kept);
      continue;
    }
    const entry = task.restored ? (task.key === undefined ? undefined : byKey.get(task.key)) : byId.get(task.id);
    const matches = entry !== undefined && entry.result.processed === task.result.processed && entry.result.keypoints.length === task.result.stars;
    if (matches) keypoints.set(task.id, entry.result.keypoints);
    else missing.push(task.id);
  }
  return { keypoints, missing };
}
