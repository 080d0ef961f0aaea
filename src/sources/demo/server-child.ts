/**
 * The demo server in a process of its own, for `stardash demo`, as NASA serves APOD from another
 * machine. Every sky it draws passes arrays of 4 to 70 MiB through the allocator: in the process
 * that also downloads and analyses, the memory glibc held free kept growing over long runs; apart,
 * each process levels off (README, "Soak"). The server process starts with glibc's allocator set
 * (SERVER_ALLOCATOR_ENV) whether or not stardash itself was (relaunch.ts): on the dashboard too.
 *
 * This process opens the listening socket and hands it over, so the URL is known at once and the
 * dashboard's first frame does not wait for a second Node to start (~120 ms). Connect once `ready`
 * has resolved: a connection made before the server process holds the socket was never answered
 * (Node 20 on Linux).
 */
import { fork } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { DEMO_SERVER_PROCESS } from '../../worker-scripts.js';
import { checkDemoOptions, type DemoServer, type DemoServerOptions } from './server.js';

/** The options a server process can be given (timers and listeners stay in their own process). */
export type DemoProcessOptions = Omit<DemoServerOptions, 'timers' | 'listener'>;

/**
 * glibc's settings for the server process (relaunch.ts says why): two arenas, and every block of
 * 64 KiB or more mapped on its own. The skies it has encoded (0.1 to 4 MiB each, kept a while, let
 * go in another order than made) left holes in its heap that stayed resident: with stardash's 1 MiB
 * threshold the heap grew by ~50 MiB over 2,000 images, with this one it stays at ~10 (README,
 * "Soak"). A user's own values win.
 */
export const SERVER_ALLOCATOR_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '65536' } as const;

/** After SIGINT or SIGTERM, the server process waits this long for its parent to close it (server-process.ts). */
export const SIGNAL_GRACE_MS = 2500;

export type ParentMessage = { type: 'start'; options: DemoProcessOptions } | { type: 'close' };
export type ChildMessage = { type: 'serving' } | { type: 'failed'; message: string };

/** A demo server in its own process: DemoServer without the request log, which stays there. */
export interface DemoServerProcess extends Omit<DemoServer, 'requests'> {
  /** The server process's id. */
  pid: number;
  /** Resolves when the server process has ended, closed or not. */
  exited: Promise<void>;
  /** Resolves once the server process serves (connect only then); rejects if it failed to start or ended first. */
  ready: Promise<void>;
}

/**
 * Starts the demo server in a child process; resolves once the socket listens (`ready` says when
 * the server process serves it). Options out of range throw the DemoOptionsError startDemoServer
 * would, before any process starts. The server process ends on `close()` or, if this process dies
 * first, when it notices (its IPC channel closes).
 */
export async function startDemoServerProcess(options: DemoProcessOptions = {}): Promise<DemoServerProcess> {
  checkDemoOptions(options);
  const { seed = 1, count = 24, apiKey = 'DEMO_KEY', port = 0 } = options;
  const socket = createServer();
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(socket.address() as AddressInfo).port}`;

  // stdout stays this process's (the dashboard's, or --json's); the server's rare errors go to stderr.
  // A user's own allocator settings win over stardash's. --expose-gc: its threads collect the skies they drop (dropped-skies.ts).
  const child = fork(DEMO_SERVER_PROCESS, [], { env: { ...SERVER_ALLOCATOR_ENV, ...process.env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: ['--expose-gc'], serialization: 'advanced' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    exited.then(() => reject(new Error(`The demo server's process ended before it served ${url}.`)));
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'serving') resolve();
      else reject(new Error(`The demo server could not start: ${message.message}`));
    });
  });
  ready.catch(() => undefined); // asked for by whoever needs the server; closing needs no answer
  // The socket goes with the message; once sent, the server process holds it and this one lets go
  // (a connection accepted here would never be answered).
  await new Promise<void>((resolve, reject) => {
    child.send({ type: 'start', options } satisfies ParentMessage, socket, (error) => (error ? reject(error) : resolve()));
  }).finally(() => socket.close());

  let closing: Promise<void> | undefined;
  return {
    url,
    apiUrl: `${url}/planetary/apod`,
    seed,
    count,
    apiKey,
    pid: child.pid ?? 0,
    exited,
    ready,
    close() {
      closing ??= (async () => {
        if (child.connected) child.send({ type: 'close' } satisfies ParentMessage);
        else if (child.exitCode === null && child.signalCode === null) child.kill();
        await exited;
      })();
      return closing;
    },
  };
}
