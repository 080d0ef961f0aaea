/** Which slice of the task list is on screen: O(1), whatever the number of tasks. */

/** Rows [start, end) of the list; `end - start` is at most the height. */
export interface TaskWindow {
  start: number;
  end: number;
}

/**
 * The window that keeps `selected` visible, centred when it can be (the list scrolls under a
 * steady cursor), clamped to the ends of the list.
 */
export function taskWindow(total: number, selected: number, height: number): TaskWindow {
  const h = Math.max(0, Math.floor(height));
  const n = Math.max(0, Math.floor(total));
  if (n <= h) return { start: 0, end: n };
  const sel = Math.min(n - 1, Math.max(0, Math.floor(selected)));
  const start = Math.min(n - h, Math.max(0, sel - Math.floor(h / 2)));
  return { start, end: start + h };
}

/**
 * The window that follows activity: `anchor` (the first unfinished task) a quarter of the way
 * down, so a few finished rows stay above the ones in flight; the end of the list once all are done.
 */
export function followWindow(total: number, anchor: number, height: number): TaskWindow {
  const h = Math.max(0, Math.floor(height));
  const n = Math.max(0, Math.floor(total));
  if (n <= h) return { start: 0, end: n };
  const a = Math.min(n, Math.max(0, Math.floor(anchor)));
  const start = Math.min(n - h, Math.max(0, a - Math.floor(h / 4)));
  return { start, end: start + h };
}
