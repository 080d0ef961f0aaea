import { fileURLToPath } from 'node:url';

/*
 * The scripts worker threads run, as files: tsc's output in dist/src. Found from this module, at the
 * top of src/, so the paths hold both from tsc's output and from the bundle bin/stardash.js runs,
 * which sits beside it (dist/src/*.bundle.js, see package.json's build script); the workers
 * themselves are not bundled.
 */

/** Decodes, detects and annotates one image at a time (src/analysis/worker.ts). */
export const ANALYSIS_WORKER = fileURLToPath(new URL('./analysis/worker.js', import.meta.url));

/** Draws and encodes the demo's skies (src/sources/demo/render-worker.ts). */
export const RENDER_WORKER = fileURLToPath(new URL('./sources/demo/render-worker.js', import.meta.url));

/** The demo server's own process (src/sources/demo/server-process.ts). */
export const DEMO_SERVER_PROCESS = fileURLToPath(new URL('./sources/demo/server-process.js', import.meta.url));
