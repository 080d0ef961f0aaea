/**
 * The demo server's own process (started by server-child.ts): receives its options and the
 * listening socket, serves until asked to close or until its parent goes away (the IPC channel
 * closes, even when the parent was killed outright).
 */
import type { Server as NetServer } from 'node:net';
import { SIGNAL_GRACE_MS, type ChildMessage, type ParentMessage } from './server-child.js';
import { startDemoServer, type DemoServer } from './server.js';

process.title = 'stardash demo server';
const send = (message: ChildMessage): void => void process.send?.(message);

let server: Promise<DemoServer | undefined> | undefined;
let closing = false;
async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  await (await server)?.close();
  process.exit(0);
}

/**
 * A Ctrl-C at the terminal (or a SIGTERM to the group) reaches this process too: the parent stops
 * its run within 2 s and then closes the server; ending at once would fail the downloads in flight
 * first. If the parent has not by then, this process ends on its own (a `kill` of it alone works).
 */
const onSignal = (): void => void setTimeout(() => void close(), SIGNAL_GRACE_MS);
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

process.on('disconnect', () => void close());
process.on('message', (message: ParentMessage, listener?: NetServer) => {
  if (message.type === 'close') {
    void close();
    return;
  }
  server = startDemoServer({ ...message.options, ...(listener ? { listener } : {}) }).then(
    (started) => {
      send({ type: 'serving' });
      return started;
    },
    (error: Error) => {
      send({ type: 'failed', message: error.message });
      return undefined;
    },
  );
});
