import { readFileSync } from 'node:fs';

/**
 * The version in package.json (read once). This module sits at the top of src/ so that the path
 * holds both from tsc's output (dist/src/version.js) and from the bundle bin/stardash.js runs
 * (dist/src/*.bundle.js): see package.json's build script.
 */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
