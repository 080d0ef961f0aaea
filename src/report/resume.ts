/**
 * `--resume`: what an earlier run into the same output folder finished, read from its journal
 * (run.jsonl), so that the new run neither downloads nor analyses it again.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RestoredTask } from '../orchestrator/events.js';
import { readJournal, restoredTask, type JournalEntry, type JournalHeader } from './journal.js';

/** What must be the same for results to be carried from one run into another. */
export type RunIdentity = Pick<JournalHeader, 'command' | 'detector'>;

/** The earlier run's work that the new run keeps. */
export interface Resume {
  /** False when `out` holds no journal: nothing to resume, the run starts afresh. */
  found: boolean;
  /** Finished tasks by key (TaskState.key), for the orchestrator. */
  restored: Map<string, RestoredTask>;
  /** Their journal entries: the new run's journal starts with them. */
  carried: JournalEntry[];
  /** Entries not carried over because a file they name is gone or changed: those images are redone. */
  stale: number;
}

/** The earlier run was made differently: resuming would mix results (usage error, exit 2). */
export class ResumeError extends Error {
  override readonly name = 'ResumeError';
  readonly code = 'E_RESUME_MISMATCH';
}

/**
 * How `current` differs from the run it would resume, in words, or undefined when results may be
 * carried over: the same command, detector and detector parameters. Pure.
 */
export function resumeConflict(previous: RunIdentity, current: RunIdentity): string | undefined {
  if (previous.command !== current.command) return `that run was \`stardash ${previous.command}\`, this one is \`stardash ${current.command}\``;
  if (previous.detector.name !== current.detector.name) {
    return `that run used --detector ${previous.detector.name}, this one --detector ${current.detector.name}`;
  }
  const keys = [...new Set([...Object.keys(previous.detector.params), ...Object.keys(current.detector.params)])].sort();
  const changed = keys.filter((key) => previous.detector.params[key] !== current.detector.params[key]);
  if (changed.length === 0) return undefined;
  const show = (value: unknown): string => (value === undefined ? 'unset' : String(value));
  const list = changed.map((key) => `${key} ${show(previous.detector.params[key])} there, ${show(current.detector.params[key])} here`);
  return `the detector's parameters differ (${list.join('; ')})`;
}

/**
 * Reads what the run recorded in `out` finished. An image counts as finished when its journal
 * entry's annotated image is still in `processed/` and the file it was made from (the download, or
 * the local input) is still there at the same size. Throws ResumeError when that run was made with
 * another command, detector or parameters.
 */
export async function loadResume(out: string, current: RunIdentity): Promise<Resume> {
  const journal = await readJournal(out);
  if (!journal) return { found: false, restored: new Map(), carried: [], stale: 0 };
  const conflict = resumeConflict(journal.header, current);
  if (conflict !== undefined) {
    throw new ResumeError(
      `cannot resume the run in ${out}: ${conflict}, and resuming would mix results made differently. ` +
        `Give the same command, --detector and -p options as that run; or leave out --resume to start over ` +
        `(finished images are analysed again); or choose another --out.`,
    );
  }
  // Later lines win: the journal of a resumed run repeats what it carried over.
  const latest = new Map(journal.entries.map((entry) => [entry.key, entry]));
  const kept = await Promise.all([...latest.values()].map(async (entry) => ((await stillThere(entry, out)) ? entry : undefined)));
  const carried = kept.filter((entry): entry is JournalEntry => entry !== undefined);
  return {
    found: true,
    restored: new Map(carried.map((entry) => [entry.key, restoredTask(entry, out)])),
    carried,
    stale: latest.size - carried.length,
  };
}

async function stillThere(entry: JournalEntry, out: string): Promise<boolean> {
  // A local input's key is its absolute path; a download is in the output folder.
  const source = entry.download ? join(out, entry.download.file) : entry.key;
  try {
    const [processed, file] = await Promise.all([stat(join(out, entry.result.processed)), stat(source)]);
    return processed.isFile() && file.isFile() && file.size === entry.result.bytes;
  } catch {
    return false;
  }
}
