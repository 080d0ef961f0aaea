/**
 * Mounts the live dashboard on a terminal and prints the summary when the run is over. Loaded with
 * `import()` by the CLI, after FORCE_COLOR is settled, because chalk reads it when first imported.
 */
import { render, renderToString } from 'ink';
import type { RunState } from '../orchestrator/state.js';
import { App, type AppProps } from './App.js';
import { Summary } from './components/Summary.js';

export interface MountOptions extends Pick<AppProps, 'run' | 'onQuit' | 'onInterrupt' | 'reportPath' | 'outDir' | 'source'> {
  color: boolean;
  /** @default process.stdout */
  stdout?: NodeJS.WriteStream;
  /** @default process.stdin */
  stdin?: NodeJS.ReadStream;
}

export interface MountedDashboard {
  /** Clears the dashboard and gives the terminal back (cursor shown, raw mode off). Safe to call twice. */
  unmount(): void;
  /** Prints the end-of-run summary, once, where it stays in the scroll-back; `reportWritten` false when writing it failed. */
  printSummary(state: RunState, now: number, reportWritten: boolean): void;
}

export function mountDashboard(options: MountOptions): MountedDashboard {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const instance = render(
    <App
      run={options.run}
      onQuit={options.onQuit}
      onInterrupt={options.onInterrupt}
      reportPath={options.reportPath}
      outDir={options.outDir}
      color={options.color}
      {...(options.source === undefined ? {} : { source: options.source })}
    />,
    // useOrchestrator already limits frames to 15 a second; Ink's own throttle on top would only
    // delay frames, and leave one pending past the clear at unmount (a stray blank line).
    { stdout, stdin, exitOnCtrlC: false, patchConsole: false, maxFps: 0 },
  );
  let mounted = true;
  return {
    unmount() {
      if (!mounted) return;
      mounted = false;
      try {
        // An empty tree first: Ink's unmount draws a last frame, which would stay above the summary.
        instance.rerender(null);
        instance.clear();
        instance.unmount();
      } finally {
        // Ink restores these itself; this covers an unmount that threw half-way.
        if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
        // Nothing on stdin should keep the process alive once the run is over.
        (stdin as { unref?: () => void }).unref?.();
        stdout.write('\u001B[?25h');
      }
    },
    printSummary(state, now, reportWritten) {
      const columns = stdout.columns || 80;
      const text = renderToString(
        <Summary state={state} now={now} reportPath={reportWritten ? options.reportPath : undefined} outDir={options.outDir} width={columns} color={options.color} />,
        { columns },
      );
      stdout.write(`${text}\n`);
    },
  };
}
