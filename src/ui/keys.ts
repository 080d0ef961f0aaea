/** The dashboard's key map, pure: Ink's `useInput` arguments in, a command out. */
import type { Key } from 'ink';
import type { ViewAction } from './view-state.js';

export type KeyCommand =
  | { kind: 'view'; action: ViewAction }
  | { kind: 'togglePause' }
  | { kind: 'retryAll' }
  /** Retry the selected task, when it failed. */
  | { kind: 'retrySelected' }
  | { kind: 'quit' };

/** The keys, as the help panel lists them. */
export const KEY_HELP: readonly { keys: string; what: string }[] = [
  { keys: 'p  space', what: 'pause / resume downloads and analysis' },
  { keys: 'r', what: 'retry every failed task' },
  { keys: 'R  enter', what: 'retry the selected failed task' },
  { keys: '↑ ↓  k j', what: 'move the selection' },
  { keys: 'PgUp PgDn', what: 'move a page' },
  { keys: 'g  G', what: 'first / last task' },
  { keys: 'f  esc', what: 'follow the latest activity again' },
  { keys: '?', what: 'show / hide this help' },
  { keys: 'q', what: 'quit (finished work is kept)' },
];

/** The command for a key press, or undefined for keys the dashboard ignores. */
export function keyCommand(input: string, key: Partial<Key>, helpVisible = false): KeyCommand | undefined {
  const view = (action: ViewAction): KeyCommand => ({ kind: 'view', action });
  if (key.upArrow) return view({ type: 'up' });
  if (key.downArrow) return view({ type: 'down' });
  if (key.pageUp) return view({ type: 'pageUp' });
  if (key.pageDown) return view({ type: 'pageDown' });
  if (key.home) return view({ type: 'home' });
  if (key.end) return view({ type: 'end' });
  if (key.return) return { kind: 'retrySelected' };
  if (key.escape) return view(helpVisible ? { type: 'hideHelp' } : { type: 'follow' });
  if (key.ctrl || key.meta) return undefined;
  switch (input) {
    case 'k':
      return view({ type: 'up' });
    case 'j':
      return view({ type: 'down' });
    case 'g':
      return view({ type: 'home' });
    case 'G':
      return view({ type: 'end' });
    case 'f':
      return view({ type: 'follow' });
    case '?':
      return view({ type: 'toggleHelp' });
    case 'p':
    case ' ':
      return { kind: 'togglePause' };
    case 'r':
      return { kind: 'retryAll' };
    case 'R':
      return { kind: 'retrySelected' };
    case 'q':
      return { kind: 'quit' };
    default:
      return undefined;
  }
}
