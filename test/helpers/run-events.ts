/**
 * Watching a run from a test: a log of every orchestrator event with the state the reducer made of
 * it, and promises that settle when a given event arrives, so that tests wait on events, not clocks.
 * Also the demo-server helpers those tests share.
 */
import { EventEmitter } from 'node:events';
import type { Keypoint } from '../../src/analysis/detectors.js';
import type { RunEvent } from '../../src/orchestrator/events.js';
import type { RunListener } from '../../src/orchestrator/orchestrator.js';
import type { RunState } from '../../src/orchestrator/state.js';
import { demoImagePath, skyPlan, type DemoServer, type DemoTimers } from '../../src/sources/demo/index.js';
import { realTimers } from '../../src/sources/demo/throttle.js';

/** What a test needs of an Orchestrator to watch it. */
export interface Observable {
  on(listener: RunListener): () => void;
}

export interface Seen {
  event: RunEvent;
  /** The state right after the event. */
  state: RunState;
}

export type EventOf<K extends RunEvent['type']> = Extract<RunEvent, { type: K }>;

/** Every event from now on, in order, with the state after it. */
export function recordEvents(orchestrator: Observable): Seen[] {
  const log: Seen[] = [];
  orchestrator.on((event, state) => void log.push({ event, state }));
  return log;
}

/** Resolves with the first `type` event (from now on) that `match` accepts; unsubscribes then. */
export function nextEvent<K extends RunEvent['type']>(
  orchestrator: Observable,
  type: K,
  match: (event: EventOf<K>, state: RunState) => boolean = () => true,
): Promise<{ event: EventOf<K>; state: RunState }> {
  return new Promise((resolve) => {
    const off = orchestrator.on((event, state) => {
      if (event.type !== type || !match(event as EventOf<K>, state)) return;
      off();
      resolve({ event: event as EventOf<K>, state });
    });
  });
}

/** Positions in `log` of the events of `type` (optionally for task `id`). */
export function positions(log: readonly Seen[], type: RunEvent['type'], id?: string): number[] {
  return log.flatMap(({ event }, i) => (event.type === type && (id === undefined || ('id' in event && event.id === id)) ? [i] : []));
}

/** The stars each analysis-done event carried, by task id (the run state keeps only their count). */
export function analysedKeypoints(log: readonly Seen[]): Map<string, Keypoint[]> {
  return new Map(log.flatMap(({ event }) => (event.type === 'analysis-done' ? [[event.id, event.result.keypoints] as const] : [])));
}

/** The event types of task `id`, in order, each run of download-progress events collapsed into one. */
export function taskStory(log: readonly Seen[], id: string): string[] {
  const types = log.flatMap(({ event }) => ('id' in event && event.id === id ? [event.type] : []));
  return types.filter((type, i) => type !== 'download-progress' || types[i - 1] !== 'download-progress');
}

/** `${server.url}/images/<index>.<jpg|png>`: the full-size image of demo entry `index`. */
export function demoImageUrl(server: Pick<DemoServer, 'url' | 'seed'>, index: number): string {
  return `${server.url}${demoImagePath(skyPlan(server.seed, index))}`;
}

/**
 * Renders and caches the demo server's images before a run. The server draws a sky synchronously
 * the first time it is asked for it, which blocks this process (client and server share it) for up
 * to ~200 ms per image; during a run that could trip a short download timeout. HEAD requests count
 * as no attempt for the fault set (only permanent faults apply to them), so the faults stay armed.
 */
export async function warmDemoImages(server: Pick<DemoServer, 'url' | 'seed'>, indexes: readonly number[]): Promise<void> {
  for (const index of indexes) {
    const response = await fetch(demoImageUrl(server, index), { method: 'HEAD' });
    await response.arrayBuffer();
  }
}

/**
 * Real (unref'ed) timers for the demo server that announce, as a `written` event, each time a
 * throttled body has handed one more chunk to its socket and waits for its next tick: a test can
 * wait for the server to have sent more, instead of waiting for a while.
 */
export function announcingTimers(): { timers: DemoTimers; writes: EventEmitter } {
  const writes = new EventEmitter();
  return {
    writes,
    timers: {
      setTimeout(callback, ms) {
        const handle = realTimers.setTimeout(callback, ms);
        writes.emit('written');
        return handle;
      },
      clearTimeout: (handle) => realTimers.clearTimeout(handle),
    },
  };
}

/** Resolves once `condition()` holds, checked now and on every `event` of `emitter`. */
export function when(emitter: EventEmitter, event: string, condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (!condition()) return;
      emitter.off(event, check);
      resolve();
    };
    emitter.on(event, check);
    check();
  });
}
