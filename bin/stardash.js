#!/usr/bin/env node
// React's development build checks and times every render, several times slower: users get the production one.
process.env.NODE_ENV ??= 'production';
const { main } = await import('../dist/src/cli.js');

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signals: process,
});
