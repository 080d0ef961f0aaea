import { Box } from 'ink';
import { useMemo } from 'react';
import { taskById, type RunState } from '../../orchestrator/state.js';
import { useActivity } from '../hooks/use-activity.js';
import { dashboardLayout, paneParts, previewSize } from '../layout.js';
import { ThemeContext, colorEnabled, themeFor } from '../theme.js';
import { clampSelected, type ViewState } from '../view-state.js';
import { followWindow, taskWindow } from '../window.js';
import { CpuPanel } from './CpuPanel.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { Histogram } from './Histogram.js';
import { Preview } from './Preview.js';
import { TaskList } from './TaskList.js';

export interface DashboardProps {
  /** The run to show; the dashboard only reads it. */
  state: RunState;
  /** Per core, the history of busy fractions 0–1, newest last (from `cpuFractions` + `pushHistory`). */
  cpu: { cores: readonly (readonly number[])[] };
  view: ViewState;
  /** Terminal size: the dashboard is exactly `height` lines of at most `width` cells. */
  width: number;
  height: number;
  /** Current time in ms since the epoch, for elapsed time and ETA. */
  now: number;
  reportPath: string;
  outDir: string;
  /** Where the images come from, shown after the command, e.g. `sky 127.0.0.1:40123`. */
  source?: string;
  /** Colours on; defaults to on unless NO_COLOR is set. */
  color?: boolean;
  /** Called on every task row render, with the row's index (for tests and profiling). */
  onRowRender?: (index: number) => void;
}

/**
 * The live dashboard: header, CPU panel, the task list (a window that follows activity or the
 * selection), and on large terminals the preview and star histogram. Its cost per frame depends
 * on its size, not on the number of tasks. It only reads `state`; keys go through `keyCommand`
 * and `reduceView(view, action, {total, page: pageSize(…), anchor: useActivity(state).frontier})`.
 */
export function Dashboard({ color = colorEnabled(), ...props }: DashboardProps) {
  return (
    <ThemeContext.Provider value={themeFor(color)}>
      <DashboardBody {...props} />
    </ThemeContext.Provider>
  );
}

function DashboardBody({ state, cpu, view, width, height, now, reportPath, outDir, source, onRowRender }: Omit<DashboardProps, 'color'>) {
  const activity = useActivity(state);
  const layout = dashboardLayout(width, height, cpu.cores.length);
  const total = state.tasks.length;
  const listRows = Math.max(0, layout.listBlock - 1);
  const selected = clampSelected(view, total);
  const shown = view.follow ? followWindow(total, activity.frontier, listRows) : taskWindow(total, selected, listRows);

  const selectedTask = view.follow ? undefined : state.tasks[selected];
  const previewSelected = selectedTask?.result !== undefined;
  const previewTask = previewSelected ? selectedTask : activity.latestDone >= 0 ? state.tasks[activity.latestDone] : undefined;
  // Task names never change, so the worker list only needs redoing when a worker starts or stops.
  const workers = useMemo(() => state.workers.map((id) => (id === null ? undefined : (taskById(state, id)?.name ?? id))), [state.workers]);
  const thumb = previewTask?.result?.thumbnail ?? { width: 64, height: 32 };
  const parts = layout.pane ? paneParts(layout.pane, previewSize(thumb, layout.pane.width, layout.pane.height).rows) : undefined;

  const list =
    layout.listBlock <= 0 ? null : view.helpVisible ? (
      <HelpOverlay width={layout.listWidth} height={layout.listBlock} />
    ) : (
      <TaskList
        tasks={state.tasks}
        window={shown}
        {...(view.follow ? {} : { selected })}
        following={view.follow}
        width={layout.listWidth}
        rows={listRows}
        now={now}
        paused={state.paused}
        {...(onRowRender ? { onRowRender } : {})}
      />
    );
  const pane =
    layout.pane && parts ? (
      <Box flexDirection={layout.pane.placement === 'right' ? 'column' : 'row'} width={layout.pane.width} height={layout.pane.height} flexShrink={0}>
        <Preview task={previewTask} selected={previewSelected} width={parts.preview.width} height={parts.preview.height} />
        {parts.histogram.height > 0 && parts.histogram.width > 0 && (
          <Box marginLeft={layout.pane.placement === 'below' ? 2 : 0}>
            <Histogram values={activity.starCounts} count={activity.starCounts.length} width={parts.histogram.width} height={parts.histogram.height} />
          </Box>
        )}
      </Box>
    ) : null;

  return (
    <Box flexDirection="column" width={width} height={height}>
      {layout.header > 0 && <Header state={state} now={now} width={width} rows={layout.header} {...(source ? { source } : {})} />}
      {layout.cpu > 0 && <CpuPanel cores={cpu.cores} workers={workers} width={width} rows={layout.cpu} />}
      {layout.pane?.placement === 'right' ? (
        <Box width={width} height={layout.listBlock}>
          {list}
          <Box marginLeft={2}>{pane}</Box>
        </Box>
      ) : (
        list
      )}
      {layout.pane?.placement === 'below' && pane}
      {layout.footer > 0 && (
        <Footer
          width={width}
          paused={state.paused}
          finished={state.finishedAt !== undefined}
          failed={state.counts.failed}
          reportPath={reportPath}
          outDir={outDir}
          {...(state.notices.length > 0 ? { notice: state.notices.at(-1)!.message } : {})}
        />
      )}
    </Box>
  );
}
