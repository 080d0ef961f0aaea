#!/usr/bin/env node
// React's development build checks and times every render, several times slower: users get the production one.
process.env.NODE_ENV ??= 'production';
const { main } = await import('../dist/src/cli.bundle.js');

// The reader has gone (`stardash … --json | head`): stop cleanly, as SIGPIPE asks, and write nothing more there.
let readerGone = false;
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  if (readerGone) return;
  readerGone = true;
  process.emit('SIGTERM', 'SIGTERM');
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signals: process,
});
