import { Box, Text } from 'ink';
import { memo, type ReactNode } from 'react';
import { coreCell, loadLevel, workerCell } from '../cpu.js';
import { useTheme } from '../hooks/use-theme.js';
import { cellGrid } from '../layout.js';
import type { Theme } from '../theme.js';
import { Rule } from './Rule.js';

export interface CpuPanelProps {
  /** Per core, the history of busy fractions 0–1, newest last. */
  cores: readonly (readonly number[])[];
  /** Per worker thread, the name of the image it analyses, or undefined when idle. */
  workers: readonly (string | undefined)[];
  width: number;
  /** Lines under the panel's rule line. */
  rows: number;
}

/**
 * Core bars labelled cpu0, cpu1, … with their recent history; beside them, each worker thread.
 * Memoised: it changes once a CPU sample or when a worker starts or stops, not on every event.
 */
export const CpuPanel = memo(function CpuPanel({ cores, workers, width, rows }: CpuPanelProps) {
  const theme = useTheme();
  const coresWidth = workers.length > 0 ? Math.floor(width * 0.58) : width;
  const workersWidth = workers.length > 0 ? width - coresWidth - 2 : 0;
  const coreGrid = cellGrid(cores.length, rows, coresWidth);
  const workerGrid = cellGrid(workers.length, rows, workersWidth);
  const coreLabel = 3 + String(Math.max(0, cores.length - 1)).length;
  const workerLabel = 1 + String(Math.max(0, workers.length - 1)).length;
  const average = cores.reduce((sum, h) => sum + (h[h.length - 1] ?? 0), 0) / Math.max(1, cores.length);
  const busy = workers.filter((w) => w !== undefined).length;

  const lines: ReactNode[] = [];
  for (let row = 0; row < rows; row++) {
    lines.push(
      <Box key={row} height={1} width={width}>
        <Box width={coresWidth} flexShrink={0}>
          <Text wrap="truncate">{cellsInRow(row, coreGrid, cores.length, (i) => coreCellText(i, coreLabel, cores[i] ?? [], coreGrid.cellWidth, theme))}</Text>
        </Box>
        {workersWidth > 0 && (
          <Box width={workersWidth} marginLeft={2} flexShrink={0}>
            <Text wrap="truncate">
              {cellsInRow(row, workerGrid, workers.length, (i) => workerCellText(i, workerLabel, workers[i], workerGrid.cellWidth, theme))}
            </Text>
          </Box>
        )}
      </Box>,
    );
  }
  return (
    <Box flexDirection="column" width={width} height={rows + 1}>
      <Box height={1} width={width}>
        <Rule title="CPU" width={coresWidth} right={`${cores.length} cores · ${Math.round(average * 100)}% avg`} />
        {workersWidth > 0 && (
          <Box marginLeft={2}>
            <Rule title="Workers" width={workersWidth} right={`${busy}/${workers.length} busy`} />
          </Box>
        )}
      </Box>
      {lines}
    </Box>
  );
});

/** The cells of one line, column-major (cpu0, cpu1, … down the first column). */
function cellsInRow(row: number, grid: { rows: number; columns: number }, count: number, cell: (index: number) => ReactNode) {
  const out: ReactNode[] = [];
  for (let col = 0; col < grid.columns; col++) {
    const index = col * grid.rows + row;
    if (row < grid.rows && index < count) out.push(cell(index));
  }
  return out;
}

function coreCellText(index: number, labelWidth: number, history: readonly number[], width: number, theme: Theme) {
  const cell = coreCell(index, labelWidth, history, width);
  const level = loadLevel(cell.current);
  // A busy core is what stardash is for: the bar warms up (blue, cyan, magenta as the workers), never alarms.
  const tone = level === 'high' ? theme.busy : level === 'mid' ? theme.accent : theme.info;
  const used = cell.label.length + (cell.bar ? 1 + cell.bar.fill.length + cell.bar.rest.length : 0) + (cell.spark ? 1 + cell.spark.length : 0) + (cell.percent ? 1 + cell.percent.length : 0);
  const pad = ' '.repeat(Math.max(0, width - used));
  return (
    <Text key={index}>
      <Text color={theme.muted}>{cell.label}</Text>
      {cell.bar && (
        <>
          {' '}
          <Text color={tone}>{cell.bar.fill}</Text>
          <Text color={theme.muted}>{cell.bar.rest}</Text>
        </>
      )}
      {cell.bar && cell.percent && <Text bold> {cell.percent}</Text>}
      {cell.spark && <Text color={theme.accent}> {cell.spark}</Text>}
      {!cell.bar && cell.percent && <Text bold> {cell.percent}</Text>}
      {pad}
    </Text>
  );
}

function workerCellText(index: number, labelWidth: number, task: string | undefined, width: number, theme: Theme) {
  const cell = workerCell(index, labelWidth, task, width);
  const pad = ' '.repeat(Math.max(0, width - cell.label.length - cell.state.length - cell.task.length));
  return (
    <Text key={index}>
      <Text color={cell.busy ? undefined : theme.muted}>{cell.label}</Text>
      <Text bold={cell.busy} color={cell.busy ? theme.busy : theme.muted}>
        {cell.state}
      </Text>
      <Text>{cell.task}</Text>
      {pad}
    </Text>
  );
}
