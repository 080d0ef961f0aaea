import { Box, Text } from 'ink';
import { memo } from 'react';
import type { TaskState } from '../../orchestrator/state.js';
import { useTheme } from '../hooks/use-theme.js';
import { STATUS_LOOK, rowColumns, stateLabel, taskDetail } from '../task-line.js';

export interface TaskRowProps {
  task: TaskState;
  /** Position in the list, passed to `onRender`. */
  index: number;
  selected: boolean;
  width: number;
  /** Current time, for a retry's countdown; give it to retrying rows only, so the others stay memoised. */
  now?: number;
  /** Called each time the row renders (tests count renders with it). */
  onRender?: (index: number) => void;
}

/**
 * One task on one line: name, state, and what that state has to say (download bar and speed, the
 * retry's wait, stars and found/true, the failure's reason). Memoised: the run reducer keeps an
 * unchanged task's object, so only rows that changed render again.
 */
export const TaskRow = memo(function TaskRow({ task, index, selected, width, now, onRender }: TaskRowProps) {
  onRender?.(index);
  const theme = useTheme();
  const cols = rowColumns(width);
  const look = STATUS_LOOK[task.status];
  return (
    <Box width={width} height={1}>
      <Box width={cols.marker} flexShrink={0}>
        <Text color={theme.accent}>{selected ? '❯' : ' '}</Text>
      </Box>
      <Box width={cols.name} flexShrink={0}>
        <Text wrap="truncate" inverse={selected} bold={selected} color={task.status === 'queued' ? theme.muted : undefined}>
          {task.name}
        </Text>
      </Box>
      <Box width={cols.state} marginLeft={1} flexShrink={0}>
        <Text color={theme[look.tone]} bold={task.status === 'failed'}>
          {stateLabel(task.status)}
        </Text>
      </Box>
      <Box width={cols.detail} flexShrink={0}>
        <Text wrap="truncate">
          {taskDetail(task, cols.detail, now).map((s, i) => (
            <Text key={i} color={s.tone ? theme[s.tone] : undefined} bold={s.bold ?? false}>
              {s.text}
            </Text>
          ))}
        </Text>
      </Box>
    </Box>
  );
});
