/**
 * A real terminal for end-to-end runs: a detached tmux session runs a shell command, `screen()`
 * reads it with `capture-pane`, `keys()` types with `send-keys`. Reading a real terminal means
 * polling it: every wait is a bounded loop of captures (≤ 50 ms apart) under a deadline, never a
 * fixed sleep.
 */
import assert from 'node:assert/strict';
import { execa } from 'execa';

const probe = await execa('tmux', ['-V'], { reject: false });
/** `false` when tmux is here, else why a test that needs it is skipped (node:test's `skip`). */
export const tmuxSkip: false | string = probe.exitCode === 0 ? false : 'tmux is not installed: real-terminal tests need it (apt-get install tmux)';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** `text` as one word for sh. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

export interface Tmux {
  readonly session: string;
  /** The visible screen as text. */
  screen(): Promise<string>;
  /** The scroll-back and the screen. */
  history(): Promise<string>;
  /** tmux send-keys: key names ('Enter', 'C-c') or literal text. */
  keys(...keys: string[]): Promise<void>;
  /** Captures until `check` holds; fails with the last screen after `timeoutMs`. */
  waitFor(what: string, check: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resizes the terminal (the program gets SIGWINCH). */
  resize(columns: number, rows: number): Promise<void>;
  /** A tmux format of the pane, e.g. '#{cursor_flag}'. */
  display(format: string): Promise<string>;
  /** The process id of the pane's shell's child named `name` (the program the command started). */
  childPid(name: string): Promise<number>;
  kill(): Promise<void>;
}

/** Starts `command` (run by sh) in a new detached tmux session of `columns`×`rows`. */
export async function startTmux(command: string, columns: number, rows: number): Promise<Tmux> {
  const session = `stardash-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  // A session started while the last one's server is shutting down fails with "server exited
  // unexpectedly" (tests run one after another): a fresh server is started on the next try.
  for (let attempt = 1; ; attempt++) {
    const started = await execa('tmux', ['new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), command], { reject: false });
    if (started.exitCode === 0) break;
    if (attempt === 3 || !started.stderr.includes('server exited unexpectedly')) throw new Error(`tmux new-session failed: ${started.stderr}`);
  }
  const screen = async (): Promise<string> => (await execa('tmux', ['capture-pane', '-p', '-t', session])).stdout;
  return {
    session,
    screen,
    history: async () => (await execa('tmux', ['capture-pane', '-p', '-S', '-', '-t', session])).stdout,
    keys: async (...keys) => void (await execa('tmux', ['send-keys', '-t', session, ...keys])),
    async waitFor(what, check, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = await screen();
        if (check(text)) return text;
        if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; the screen was:\n${text}`);
        await pause(50);
      }
    },
    resize: async (width, height) => void (await execa('tmux', ['resize-window', '-t', session, '-x', String(width), '-y', String(height)])),
    display: async (format) => (await execa('tmux', ['display-message', '-p', '-t', session, format])).stdout.trim(),
    async childPid(name) {
      const shell = (await execa('tmux', ['display-message', '-p', '-t', session, '#{pane_pid}'])).stdout.trim();
      const found = await execa('pgrep', ['-P', shell, '-x', name], { reject: false });
      const pid = Number(found.stdout.split('\n')[0]);
      assert.ok(pid > 0, `no ${name} process under the pane's shell ${shell}`);
      return pid;
    },
    kill: async () => void (await execa('tmux', ['kill-session', '-t', session], { reject: false })),
  };
}
