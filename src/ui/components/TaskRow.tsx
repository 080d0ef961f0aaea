import { Text } from 'ink';
import { memo } from 'react';
import type { TaskState } from '../../orchestrator/state.js';
import { useTheme } from '../hooks/use-theme.js';
import { fit } from '../format.js';
import { paint } from '../paint.js';
import { STATUS_LOOK, clipSegments, rowColumns, stateLabel, taskDetail } from '../task-line.js';

export interface TaskRowProps {
  task: TaskState;
  /** Position in the list, passed to `onRender`. */
  index: number;
  selected: boolean;
  width: number;
  /** Current time, for a retry's countdown; give it to retrying rows only, so the others stay memoised. */
  now?: number;
  /** The run is paused; given to downloading rows only, like `now`. */
  paused?: boolean;
  /** Called each time the row renders (tests count renders with it). */
  onRender?: (index: number) => void;
}

/**
 * One task on one line: name, state, and what that state has to say (download bar and speed, the
 * retry's wait, stars and found/true, the failure's reason). Memoised: the run reducer keeps an
 * unchanged task's object, so only rows that changed render again.
 */
export const TaskRow = memo(function TaskRow({ task, index, selected, width, now, paused, onRender }: TaskRowProps) {
  onRender?.(index);
  const theme = useTheme();
  const cols = rowColumns(width);
  const look = STATUS_LOOK[task.status];
  // One Text of exactly `width` cells, drawn as one string: Ink lays out, measures and diffs one
  // node a row, and never truncates.
  const line =
    paint(selected ? '❯ ' : '  ', { color: theme.accent }) +
    paint(fit(task.name, cols.name), { inverse: selected, bold: selected, color: task.status === 'queued' ? theme.muted : undefined }) +
    paint(fit(` ${stateLabel(task.status)}`, cols.state + 1), { color: theme[look.tone], bold: task.status === 'failed' }) +
    clipSegments(taskDetail(task, cols.detail, now, paused), cols.detail)
      .map((s) => paint(s.text, { color: s.tone ? theme[s.tone] : undefined, bold: s.bold ?? false }))
      .join('');
  return <Text>{line}</Text>;
});
