/** `--resume`: which of a run's tasks an earlier run into the same output folder finished. */
import type { NewTask, RestoredTask, RunEvent } from './events.js';

export type TaskRestored = Extract<RunEvent, { type: 'task-restored' }>;

/**
 * The task-restored events for the `tasks` that an earlier run finished (`restored`, by key), in
 * their order; a key restores one task only. Pure. A local input is where it is now, a download
 * where the earlier run put it. Without `thumbnails` (no dashboard), the results keep none.
 */
export function restoredEvents(tasks: readonly NewTask[], restored: ReadonlyMap<string, RestoredTask>, thumbnails: boolean): TaskRestored[] {
  const used = new Set<string>();
  const events: TaskRestored[] = [];
  for (const task of tasks) {
    const found = task.key === undefined || used.has(task.key) ? undefined : restored.get(task.key);
    if (!found) continue;
    used.add(task.key!);
    const { thumbnail: _thumbnail, ...result } = found.result;
    events.push({
      type: 'task-restored',
      id: task.id,
      ...found,
      ...(thumbnails ? {} : { result }),
      ...(task.url ? {} : { file: task.file }),
    });
  }
  return events;
}
