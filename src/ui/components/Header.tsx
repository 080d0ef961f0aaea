import { Box, Text } from 'ink';
import type { RunState } from '../../orchestrator/state.js';
import { countsLine } from '../counts.js';
import {
  LINE_BAR,
  barParts,
  estimateEta,
  formatBytes,
  formatClock,
  formatCount,
  formatPercent,
  formatPerSecond,
  formatRate,
} from '../format.js';
import { useTheme } from '../hooks/use-theme.js';
import { STATUS_LOOK } from '../task-line.js';

export interface HeaderProps {
  state: RunState;
  /** Current time in ms since the epoch, for the elapsed time and the ETA. */
  now: number;
  width: number;
  /** 3 lines (title, progress, counts), or 1 (title only) on a very short terminal. */
  rows: number;
  /** Where the images come from, e.g. `sky server 127.0.0.1:40123`. */
  source?: string;
}

/** Milliseconds the run has taken so far (or took, once finished). */
function elapsedMs(state: RunState, now: number): number {
  if (!state.startedAt) return 0;
  const end = state.finishedAt ? Date.parse(state.finishedAt) : now;
  return Math.max(0, end - Date.parse(state.startedAt));
}

/** Title and status, overall progress with throughput, counts per state. */
export function Header({ state, now, width, rows, source }: HeaderProps) {
  const theme = useTheme();
  const total = state.tasks.length;
  const settled = state.counts.done + state.counts.failed + state.counts.skipped;
  const elapsed = elapsedMs(state, now);
  const eta = state.finishedAt ? undefined : estimateEta(elapsed, settled, total);
  const seconds = elapsed / 1000;
  const status = state.paused ? (
    <Text bold inverse color={theme.warn}>
      {' PAUSED '}
    </Text>
  ) : state.finishedAt ? (
    <Text bold color={state.interrupted ? theme.warn : theme.ok}>
      {state.interrupted ? 'interrupted' : 'finished'}
    </Text>
  ) : (
    <Text color={theme.ok}>{state.startedAt ? '● running' : '○ starting'}</Text>
  );
  const clock = ` ${formatClock(elapsed)}${state.finishedAt ? '' : `  ETA ${formatClock(eta)}`}`;

  const stats = `${formatPercent(total ? settled / total : 0).padStart(5)}  ${formatCount(settled)}/${formatCount(total)}  ${formatPerSecond(
    seconds > 0 ? state.counts.done / seconds : 0,
  )} img/s  ↓ ${formatBytes(state.bytesDownloaded)} · ${formatRate(seconds > 0 ? state.bytesDownloaded / seconds : 0)}`;
  const barWidth = Math.max(10, width - stats.length - 1);
  const bar = barParts(total ? settled / total : 0, barWidth, LINE_BAR);

  const counts = countsLine(state.counts, state.stars, width);
  return (
    <Box flexDirection="column" width={width} height={rows}>
      <Box width={width} height={1}>
        <Box flexGrow={1} flexShrink={1}>
          <Text wrap="truncate">
            <Text bold color={theme.accent}>
              ✦ stardash
            </Text>
            <Text bold> {state.command || '…'}</Text>
            <Text color={theme.muted}>
              {source ? ` · ${source}` : ''}
              {state.detector ? ` · ${state.detector}` : ''}
            </Text>
          </Text>
        </Box>
        <Box flexShrink={0} marginLeft={1}>
          {status}
          <Text color={theme.muted}>{clock}</Text>
        </Box>
      </Box>
      {rows >= 3 && (
        <Box width={width} height={1}>
          <Text wrap="truncate">
            <Text color={state.paused ? theme.warn : theme.accent}>{bar.fill}</Text>
            <Text color={theme.muted}>{bar.rest}</Text>
            <Text>{stats}</Text>
          </Text>
        </Box>
      )}
      {rows >= 3 && (
        <Box width={width} height={1}>
          <Text wrap="truncate">
            {counts.items.map(({ status, count, label }, i) => (
              <Text key={status} color={state.counts[status] > 0 ? theme[STATUS_LOOK[status].tone] : theme.muted}>
                {i > 0 ? counts.gap : ''}
                <Text bold>{count}</Text>
                {label}
              </Text>
            ))}
            {counts.stars && (
              <Text color={theme.star}>
                {'  '}✦ <Text bold>{formatCount(state.stars)}</Text> {state.stars === 1 ? 'star' : 'stars'}
              </Text>
            )}
          </Text>
        </Box>
      )}
    </Box>
  );
}

