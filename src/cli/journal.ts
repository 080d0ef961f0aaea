import type { Detector } from '../analysis/detectors.js';
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
    return { writer, restored, notes };
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    return noRoomMessage(JOURNAL_FILE, out, code) ?? `cannot write ${JOURNAL_FILE} in ${out} (${code ?? String(cause)}): give a folder that can be written with --out.`;
  }
}

/** Appends each image to the journal as it is done; returns the unsubscribe function. */
export function journalRun(orchestrator: Orchestrator, writer: JournalWriter, out: string): () => void {
  return orchestrator.on((event, state) => {
    if (event.type !== 'analysis-done') return;
    const task = taskById(state, event.id);
    const entry = task && journalEntry(task, out);
    if (entry) writer.append(entry);
  });
}
