/**
 * The demo server's own process (started by server-child.ts): receives its options and the
 * listening socket, serves until asked to close or until its parent goes away (the IPC channel
 * closes, even when the parent was killed outright).
 */
import type { Server as NetServer } from 'node:net';
import type { ChildMessage, ParentMessage } from './server-child.js';
import { startDemoServer, type DemoServer } from './server.js';

process.title = 'stardash demo server';
const send = (message: ChildMessage): void => void process.send?.(message);

// A Ctrl-C at the terminal reaches the whole process group: the parent stops the run, then this.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});

let server: Promise<DemoServer | undefined> | undefined;
let closing = false;
async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  await (await server)?.close();
  process.exit(0);
}

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
