import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { TaskState } from '../../orchestrator/state.js';
import { formatCount } from '../format.js';
import { useTheme } from '../hooks/use-theme.js';
import type { TaskWindow } from '../window.js';
import { Rule } from './Rule.js';
import { TaskRow } from './TaskRow.js';

export interface TaskListProps {
  tasks: readonly TaskState[];
  /** The rows on screen; only these are rendered, whatever the number of tasks. */
  window: TaskWindow;
  /** The highlighted row, if any (none while following). */
  selected?: number;
  following: boolean;
  width: number;
  /** Lines under the list's rule line. */
  rows: number;
  /** Current time in ms since the epoch, for retry countdowns. */
  now: number;
  /** The run is paused: downloads show it instead of their last speed. */
  paused?: boolean;
  onRowRender?: (index: number) => void;
}

/** The window of task rows under a rule that says which rows these are. */
export function TaskList({ tasks, window, selected, following, width, rows, now, paused = false, onRowRender }: TaskListProps) {
  const theme = useTheme();
  const lines: ReactNode[] = [];
  for (let i = window.start; i < window.end && lines.length < rows; i++) {
    const task = tasks[i];
    if (!task) break;
    lines.push(
      <TaskRow
        key={task.id}
        task={task}
        index={i}
        selected={i === selected}
        width={width}
        {...(task.status === 'retrying' ? { now } : {})}
        {...(task.status === 'downloading' && paused ? { paused } : {})}
        {...(onRowRender ? { onRender: onRowRender } : {})}
      />,
    );
  }
  const range = tasks.length === 0 ? 'none yet' : `${formatCount(window.start + 1)}–${formatCount(window.end)} of ${formatCount(tasks.length)}`;
  return (
    <Box flexDirection="column" width={width} height={rows + 1}>
      <Rule title="Tasks" width={width} right={following ? `${range} · following` : range} />
      {lines}
      {tasks.length === 0 && rows > 0 && <Text color={theme.muted}> waiting for the source to list images…</Text>}
    </Box>
  );
}
