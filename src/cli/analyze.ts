import { expandPaths } from '../sources/local.js';
import { holdingOut } from './hold-out.js';
import { executeRun, type CommandIo, type RunOptions } from './run.js';

/** `stardash analyze PATH…`: local images and folders, no downloads. Returns the exit code. */
export function runAnalyze(paths: string[], options: RunOptions, io: CommandIo): Promise<number> {
  return holdingOut(options, io, (notices) => analyzeRun(paths, options, { ...io, notices }));
}

async function analyzeRun(paths: string[], options: RunOptions, io: CommandIo): Promise<number> {
  const inputs = await expandPaths(paths);
  return executeRun(
    {
      command: 'analyze',
      source: paths.length === 1 ? paths[0]! : `${paths.length} paths`,
      start: (orchestrator, announce) => {
        announce(`stardash analyze: ${inputs.length} input(s)`);
        return orchestrator.runLocal(inputs);
      },
    },
    options,
    io,
  );
}
