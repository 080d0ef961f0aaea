/**
 * Loaded with `node --import` by the crash test (test/ui/tui-crash.e2e.test.ts): writes this
 * process's pid to $CRASH_PID_FILE, and on SIGUSR2 throws an error nothing catches, as a bug would.
 */
import { writeFileSync } from 'node:fs';

writeFileSync(process.env['CRASH_PID_FILE'] ?? 'crash.pid', String(process.pid));
process.on('SIGUSR2', () => {
  throw new Error('a crash for the test');
});
