#!/usr/bin/env node
import { isatty } from 'node:tty';
import { fileURLToPath } from 'node:url';

// React's development build checks and times every render, several times slower: users get the production one.
process.env.NODE_ENV ??= 'production';
// On Linux, when its output is not a terminal, stardash runs in a second Node started with glibc's allocator set for
// many threads (src/launch/relaunch.ts). isatty, not process.stdout: that stream is the second process's to make.
const { relaunchEnv, relaunch, endAs, settleRelaunched } = await import('../dist/src/launch/relaunch.js');
const env = relaunchEnv({ platform: process.platform, env: process.env, execArgv: process.execArgv, interactive: isatty(1) });
if (env) {
  endAs(await relaunch(fileURLToPath(import.meta.url), process.argv.slice(2), env));
} else {
  let signals = process;
  if (settleRelaunched()) {
    signals = (await import('../dist/src/launch/relayed-signals.js')).relayedSignals();
  }
  const { main } = await import('../dist/src/cli.bundle.js');

  // The reader has gone (`stardash … --json | head`): stop cleanly, as SIGPIPE asks, and write nothing more there.
  let readerGone = false;
  process.stdout.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    if (readerGone) return;
    readerGone = true;
    process.emit('SIGTERM', 'SIGTERM');
  });

  process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signals });
}
