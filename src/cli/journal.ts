import type { Detector, Keypoint } from '../analysis/detectors.js';
import { noRoomMessage } from '../disk-errors.js';
import type { RestoredTask } from '../orchestrator/events.js';
import type { Orchestrator } from '../orchestrator/orchestrator.js';
import { taskById } from '../orchestrator/state.js';
import { JOURNAL_FILE, JournalWriter, journalEntry } from '../report/journal.js';
import { loadResume, ResumeError } from '../report/resume.js';
import { VERSION } from '../version.js';

/** A run's journal, and what it carries over from the run it resumes. */
export interface RunJournal {
  writer: JournalWriter;
  /** For the orchestrator: the earlier run's finished tasks, by key (empty without --resume). */
  restored: ReadonlyMap<string, RestoredTask>;
  /** Lines for stderr before the run starts (what --resume found). */
  notes: string[];
  /** How many entries the journal starts with, carried over from the run resumed (their stars are the restored tasks'). */
  carried: number;
}

/**
 * Starts the journal (run.jsonl) of a run into `out`; with `resume`, first reads what the run
 * recorded there finished. Returns an error message (bad usage: exit 2) when that run was made
 * differently or the journal cannot be written.
 */
export async function startJournal(out: string, command: string, detector: Detector, resume: boolean): Promise<RunJournal | string> {
  const identity = { command, detector: { name: detector.name, params: detector.params } };
  let restored: RunJournal['restored'] = new Map();
  const notes: string[] = [];
  let carried: Parameters<typeof JournalWriter.start>[2] = [];
  if (resume) {
    try {
      const found = await loadResume(out, identity);
      ({ restored, carried } = found);
      if (!found.found) notes.push(`stardash: nothing to resume in ${out} (no ${JOURNAL_FILE}): starting a new run.`);
      if (found.stale > 0) notes.push(`stardash: ${found.stale} image(s) the earlier run finished are done again: their files are gone or changed.`);
    } catch (error) {
      if (error instanceof ResumeError) return error.message;
      throw error;
    }
  }
  try {
    const writer = await JournalWriter.start(out, { type: 'run', format: 1, version: VERSION, ...identity, startedAt: new Date().toISOString() }, carried);
    return { writer, restored, notes, carried: carried.length };
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    return noRoomMessage(JOURNAL_FILE, out, code) ?? `cannot write ${JOURNAL_FILE} in ${out} (${code ?? String(cause)}): give a folder that can be written with --out.`;
  }
}

/**
 * Appends each image to the journal as it is done, and holds its stars in `held` (by task id) until
 * its line is on disk: the run state keeps only their count, and the report reads them back from
 * the journal, or from `held` for the lines that could not be written and the tasks not journaled
 * (no key). Returns the unsubscribe function.
 */
export function journalRun(orchestrator: Orchestrator, writer: JournalWriter, out: string, held: Map<string, readonly Keypoint[]>): () => void {
  return orchestrator.on((event, state) => {
    if (event.type !== 'analysis-done') return;
    held.set(event.id, event.result.keypoints);
    const task = taskById(state, event.id);
    const entry = task && journalEntry(task, event.result, out);
    if (!entry) return;
    void writer.append(entry).then((written) => {
      if (written) held.delete(event.id);
    });
  });
}
