/** Running the real bin/stardash.js in a child process, for end-to-end tests of the command line. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Report } from '../../src/report/report.js';
import { repoRoot } from './fixtures.js';

export const BIN = join(repoRoot, 'bin', 'stardash.js');

export interface Run {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/stardash.js ARGS` from the repository root, `input` on stdin; never throws on a non-zero exit. */
export async function stardash(args: readonly string[], input?: string): Promise<Run> {
  const { exitCode, stdout, stderr } = await execa(process.execPath, [BIN, ...args], {
    cwd: repoRoot,
    reject: false,
    ...(input === undefined ? {} : { input }),
  });
  return { exitCode, stdout, stderr };
}

/** report.json in `out`; if there is none, fails with what the run printed. */
export async function readReport(out: string, run: Run): Promise<Report> {
  const text = await readFile(join(out, 'report.json'), 'utf8').catch((error: unknown) =>
    assert.fail(`no report.json (${String(error)}); exit ${run.exitCode}, stdout:\n${run.stdout}\nstderr:\n${run.stderr}`),
  );
  return JSON.parse(text) as Report;
}
