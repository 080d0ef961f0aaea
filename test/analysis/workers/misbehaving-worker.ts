/**
 * A worker for the pool tests: analyses like the real one, except that a job with id `crash`
 * throws an uncaught exception, `exit` ends the thread, and `hang` never returns (a busy loop, like
 * a stuck wasm call).
 */
import { expose } from 'threads/worker';
import { analyzeImage, type AnalysisJob } from '../../../src/analysis/analyze-image.js';

expose({
  analyze: (job: AnalysisJob) => {
    if (job.id === 'crash') {
      setImmediate(() => {
        throw new Error('simulated crash');
      });
      return new Promise(() => undefined);
    }
    if (job.id === 'exit') process.exit(7);
    if (job.id === 'hang') {
      for (;;) {
        // spin
      }
    }
    return analyzeImage(job);
  },
  memory: () => ({ wasmHeapBytes: 0, jsHeapBytes: 0 }),
});
