import { useEffect, useState } from 'react';
import type { RunListener } from '../../orchestrator/orchestrator.js';
import type { RunState } from '../../orchestrator/state.js';

/** What the hook needs of the orchestrator: its events and its latest state. */
export interface RunSource {
  on(listener: RunListener): () => void;
  readonly snapshot: RunState;
}

/** At most this many renders a second, however many events arrive. @default 15 */
export const RENDERS_PER_SECOND = 15;

/**
 * The run's latest state, re-rendering at most `perSecond` times a second: an event arms one
 * timer, which reads the newest snapshot when it fires (events in between only update the state
 * the timer will read). Unsubscribes and clears the timer in the cleanup.
 */
export function useOrchestrator(source: RunSource, perSecond: number = RENDERS_PER_SECOND): RunState {
  const [state, setState] = useState<RunState>(() => source.snapshot);
  useEffect(() => {
    const interval = 1000 / Math.max(1, perSecond);
    let timer: NodeJS.Timeout | undefined;
    let last = 0;
    const flush = (): void => {
      timer = undefined;
      last = Date.now();
      setState(source.snapshot);
    };
    const unsubscribe = source.on(() => {
      if (timer !== undefined) return;
      timer = setTimeout(flush, Math.max(0, last + interval - Date.now()));
      // A pending frame must not keep the process alive once the run is over.
      timer.unref();
    });
    // Events may have come between the first render and this subscription.
    setState(source.snapshot);
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [source, perSecond]);
  return state;
}
