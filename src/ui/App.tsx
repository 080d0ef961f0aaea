import { useInput, useStdin } from 'ink';
import { useReducer } from 'react';
import { Dashboard } from './components/Dashboard.js';
import { useActivity } from './hooks/use-activity.js';
import { useCpu, type CpuOptions } from './hooks/use-cpu.js';
import { useOrchestrator, type RunSource } from './hooks/use-orchestrator.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { keyCommand } from './keys.js';
import { pageSize } from './layout.js';
import { INITIAL_VIEW, clampSelected, reduceView, type ViewAction, type ViewContext, type ViewState } from './view-state.js';

/** What the dashboard drives on the orchestrator. */
export interface RunControl extends RunSource {
  pause(): void;
  resume(): void;
  retry(id: string): void;
  retryFailed(): void;
}

export interface AppProps {
  run: RunControl;
  /** `q`: stop the run cleanly (the caller writes the report and exits). */
  onQuit: () => void;
  /** Ctrl-C: the caller's interrupt (first: clean stop; second: exit at once). */
  onInterrupt: () => void;
  reportPath: string;
  outDir: string;
  source?: string;
  color?: boolean;
  cpu?: CpuOptions;
  /** Current time, injectable for tests. @default Date.now */
  now?: () => number;
}

function viewReducer(view: ViewState, { action, context }: { action: ViewAction; context: ViewContext }): ViewState {
  return reduceView(view, action, context);
}

/** The live dashboard wired to a run: state, CPU samples, terminal size and keys. */
export function App({ run, onQuit, onInterrupt, reportPath, outDir, source, color, cpu: cpuOptions, now = Date.now }: AppProps) {
  const state = useOrchestrator(run);
  const cpu = useCpu(cpuOptions);
  const { columns, rows } = useTerminalSize();
  const [view, dispatch] = useReducer(viewReducer, INITIAL_VIEW);
  const activity = useActivity(state);
  const { isRawModeSupported } = useStdin();
  // One line short of the terminal: a frame as tall as the terminal makes Ink clear the whole screen each time.
  const height = Math.max(1, rows - 1);

  useInput(
    (input, key) => {
      // Ctrl-C pressed twice quickly can arrive as one chunk ("\x03\x03"), which Ink does not split.
      const interrupts = key.ctrl && input === 'c' ? 1 : [...input].filter((ch) => ch === '\u0003').length;
      if (interrupts > 0) {
        for (let i = 0; i < interrupts; i++) onInterrupt();
        return;
      }
      const command = keyCommand(input, key, view.helpVisible);
      switch (command?.kind) {
        case undefined:
          return;
        case 'view':
          return dispatch({
            action: command.action,
            context: { total: state.tasks.length, page: pageSize(columns, height, cpu.cores.length), anchor: activity.frontier },
          });
        case 'togglePause':
          return run.snapshot.paused ? run.resume() : run.pause();
        case 'retryAll':
          return run.retryFailed();
        case 'retrySelected': {
          const task = view.follow ? undefined : state.tasks[clampSelected(view, state.tasks.length)];
          if (task?.status === 'failed') run.retry(task.id);
          return;
        }
        case 'quit':
          return onQuit();
      }
    },
    // useInput needs raw mode, which only a terminal on stdin has (Ink reports a pipe as `undefined`, which it reads as active).
    { isActive: isRawModeSupported === true },
  );

  return (
    <Dashboard
      state={state}
      cpu={cpu}
      view={view}
      width={columns}
      height={height}
      now={now()}
      reportPath={reportPath}
      outDir={outDir}
      {...(source === undefined ? {} : { source })}
      {...(color === undefined ? {} : { color })}
    />
  );
}
