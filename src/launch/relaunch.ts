/**
 * bin/stardash.js starts Node a second time, with glibc's allocator told to keep two arenas and to
 * map every block of 1 MiB or more on its own.
 *
 * glibc gives a thread that allocates while another holds the lock an arena of its own, up to
 * eight per core, and keeps each arena's freed pages resident. A run passes images of 1 to 70 MiB
 * through a dozen threads (the workers, libuv's and libvips' pools), so on Linux its RSS kept
 * climbing long after what was allocated stopped growing (README, "Soak"). `MALLOC_ARENA_MAX=2`
 * took a fifth to a quarter off a long run's RSS at no cost in CPU, but not the climb: glibc also
 * raises its mmap threshold to the largest block freed (up to 32 MiB), after which images land in
 * the arenas, and the holes they leave between smaller live blocks stay resident. A fixed threshold
 * of 1 MiB (`MALLOC_MMAP_THRESHOLD_`) maps each image buffer and gives it back when freed: the
 * soak's RSS held level, for more system time (pages are zeroed afresh). glibc reads both only
 * when a process starts: hence the second start. It costs the start-up of a second Node (~80 ms),
 * which a dashboard's first frame cannot afford and a batch run does not notice: only runs whose
 * output is not a terminal start again (a long run on the dashboard can set the variables itself).
 */
import { spawn } from 'node:child_process';
import { type RelayedSignal, RELAYED } from './relayed-signals.js';

/** What the second start adds to the environment. */
export const ALLOCATOR_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '1048576' } as const;

/** Set in the started process's environment: its signals come relayed from bin/stardash.js. */
export const RELAUNCHED = 'STARDASH_RELAUNCHED';

export interface LaunchFacts {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** Node's own options (`node --inspect bin/stardash.js`). */
  execArgv: readonly string[];
  /** Whether stdout is a terminal (where the dashboard is drawn). */
  interactive: boolean;
}

/**
 * The environment to start stardash again with, or undefined to run in this process: only on
 * Linux (glibc's allocator; musl ignores the variables), only when the output is not a terminal,
 * never twice, not when the user has set either variable (theirs win; any value turns the second
 * start off), and not under Node's own options (a debugger or profiler is attached to this
 * process, not to a second one).
 */
export function relaunchEnv({ platform, env, execArgv, interactive }: LaunchFacts): NodeJS.ProcessEnv | undefined {
  if (platform !== 'linux' || interactive || execArgv.length > 0) return undefined;
  if (Object.keys(ALLOCATOR_ENV).some((name) => env[name] !== undefined) || env[RELAUNCHED] !== undefined) return undefined;
  return { ...env, ...ALLOCATOR_ENV, [RELAUNCHED]: '1' };
}

/**
 * In the second process: takes out of its environment what was for it alone, so that the processes
 * it starts do not inherit it: the marker, and the mmap threshold (the demo's sky server starts
 * with one of its own, server-child.ts). Two arenas suit the server too, and stay. Returns whether
 * this is the second process.
 */
export function settleRelaunched(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env[RELAUNCHED] === undefined) return false;
  delete env[RELAUNCHED];
  delete env.MALLOC_MMAP_THRESHOLD_;
  return true;
}

/** How the started process ended: its exit code, or the signal that killed it. */
export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Runs `node script ...args` with `env`, sharing this process's terminal (stdin, stdout, stderr),
 * and resolves how it ended. SIGINT and SIGTERM sent to this process reach it as messages, so a
 * Ctrl-C, which the terminal sends to both, counts once (relayed-signals.ts); until it says it
 * listens, and for SIGHUP, it gets the signal itself, as this process would have.
 */
export function relaunch(script: string, args: readonly string[], env: NodeJS.ProcessEnv, proc: NodeJS.Process = process): Promise<Ended> {
  const child = spawn(proc.execPath, [script, ...args], { env, stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  let listening = false;
  child.on('message', (message: unknown) => {
    if (message === RELAYED.listening) listening = true;
  });
  const pass = (signal: RelayedSignal | 'SIGHUP') => (): void => {
    if (signal !== 'SIGHUP' && listening && child.connected) {
      // A channel closing under the message (the process is ending): the signal itself then.
      child.send(RELAYED[signal], (error) => error && child.kill(signal));
    } else {
      child.kill(signal);
    }
  };
  const handlers = { SIGINT: pass('SIGINT'), SIGTERM: pass('SIGTERM'), SIGHUP: pass('SIGHUP') };
  for (const [signal, handler] of Object.entries(handlers)) proc.on(signal, handler);
  const stopRelaying = (): void => {
    for (const [signal, handler] of Object.entries(handlers)) proc.off(signal, handler);
  };
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      stopRelaying();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      stopRelaying();
      resolve({ code, signal });
    });
  });
}

/** Ends this process as the started one ended: the same exit code, or killed by the same signal. */
export function endAs(ended: Ended, proc: NodeJS.Process = process): void {
  if (ended.signal) {
    proc.kill(proc.pid, ended.signal);
  } else {
    proc.exitCode = ended.code ?? 1;
  }
}
