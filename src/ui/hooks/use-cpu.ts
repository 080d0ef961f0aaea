import { cpus } from 'node:os';
import { useEffect, useMemo, useState } from 'react';
import { cpuFractions, pushHistory, type CpuTimes } from '../cpu.js';

export interface CpuOptions {
  /** Reads the per-core times. @default os.cpus */
  sample?: () => readonly { times: CpuTimes }[];
  /** Milliseconds between samples. @default 1000 */
  intervalMs?: number;
  /** Samples kept per core. @default 60 */
  keep?: number;
}

/** Per core, the recent busy fractions (0–1, newest last), sampled on an unref()ed interval. */
export function useCpu({ sample = cpus, intervalMs = 1000, keep = 60 }: CpuOptions = {}): { cores: readonly (readonly number[])[] } {
  const [cores, setCores] = useState<number[][]>(() => sample().map(() => []));
  useEffect(() => {
    let previous = sample();
    const timer = setInterval(() => {
      const next = sample();
      const fractions = cpuFractions(previous, next);
      previous = next;
      setCores((history) => pushHistory(history, fractions, keep));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }, [sample, intervalMs, keep]);
  return useMemo(() => ({ cores }), [cores]);
}
