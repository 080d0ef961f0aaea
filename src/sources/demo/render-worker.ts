/** The demo server's drawing thread: `encodeSky` (images.ts) off the server's event loop. */
import { expose } from 'threads/worker';
import { encodeSky } from './encode-sky.js';

const api = { encodeSky };

export type RenderWorkerApi = typeof api;

expose(api);
