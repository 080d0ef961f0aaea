import { cpus } from 'node:os';
import { useEffect, useLayoutEffect, useMemo, useReducer, useRef } from 'react';
import { cpuFractions, pushHistory, type CpuTimes } from '../cpu.js';

export interface CpuOptions {
  /** Reads the per-core times. @default os.cpus */
  sample?: () => readonly { times: CpuTimes }[];
  /** Milliseconds between samples. @default 1000 */
  intervalMs?: number;
  /** Samples kept per core. @default 60 */
  keep?: number;
  /** The clock. @default Date.now */
  now?: () => number;
}

/** A frame drawn this recently means the run is drawing: a new sample waits for its next frame. */
const DRAWING_MS = 150;

/**
 * Per core, the recent busy fractions (0–1, newest last), sampled on an unref()ed interval. While
 * the run draws frames anyway, a sample joins the next one instead of drawing a frame of its own
 * (a frame a second fewer); when nothing else draws (paused, waiting), the sample draws itself.
 */
export function useCpu({ sample = cpus, intervalMs = 1000, keep = 60, now = Date.now }: CpuOptions = {}): { cores: readonly (readonly number[])[] } {
  const history = useRef<number[][] | undefined>(undefined);
  history.current ??= sample().map(() => []);
  const drawnAt = useRef(Number.NEGATIVE_INFINITY);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  // During the commit, not after it: a sample taken before passive effects ran would draw again.
  useLayoutEffect(() => {
    drawnAt.current = now();
  });
  useEffect(() => {
    let previous = sample();
    const timer = setInterval(() => {
      const next = sample();
      history.current = pushHistory(history.current!, cpuFractions(previous, next), keep);
      previous = next;
      if (now() - drawnAt.current > DRAWING_MS) redraw();
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }, [sample, intervalMs, keep, now]);
  const cores = history.current;
  return useMemo(() => ({ cores }), [cores]);
}
