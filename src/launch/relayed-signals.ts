/**
 * The started process's side of bin/stardash.js's second start (relaunch.ts): SIGINT and SIGTERM
 * come both from the operating system and as messages from the first process, which got them.
 *
 * A Ctrl-C reaches both processes (the terminal signals its whole foreground group), while a
 * `kill` of the first reaches only the first and a `kill` of the second only the second. Each
 * counts once: a signal and a message of the same name within PAIR_WINDOW_MS of each other are
 * one stop, not the two that quit at once without a report.
 */
import { EventEmitter } from 'node:events';

export type RelayedSignal = 'SIGINT' | 'SIGTERM';

/** The messages between the two processes. */
export const RELAYED = {
  /** The started process relays: signals may come as messages from now on. */
  listening: 'stardash:listening',
  SIGINT: 'stardash:SIGINT',
  SIGTERM: 'stardash:SIGTERM',
} as const;

/**
 * How long an arrival waits for its other half. Generous, for a busy machine: a second Ctrl-C
 * still counts however soon it comes, since its halves pair with each other, not with the first's.
 */
export const PAIR_WINDOW_MS = 1000;

export interface Arrival {
  signal: RelayedSignal;
  via: 'os' | 'message';
  at: number;
}

/**
 * Whether `arrival` is a stop of its own (`act`) or the other half of one already counted, and
 * the arrivals still waiting for their other half.
 */
export function pairArrival(waiting: readonly Arrival[], arrival: Arrival, windowMs = PAIR_WINDOW_MS): { act: boolean; waiting: Arrival[] } {
  const recent = waiting.filter((w) => arrival.at - w.at <= windowMs);
  const half = recent.findIndex((w) => w.signal === arrival.signal && w.via !== arrival.via);
  if (half >= 0) return { act: false, waiting: recent.filter((_, i) => i !== half) };
  return { act: true, waiting: [...recent, arrival] };
}

function relayedSignalOf(message: unknown): RelayedSignal | undefined {
  if (message === RELAYED.SIGINT) return 'SIGINT';
  if (message === RELAYED.SIGTERM) return 'SIGTERM';
  return undefined;
}

/** What cli/run.ts listens on: SIGINT, SIGTERM, uncaughtException, unhandledRejection. */
export type SignalSource = Pick<NodeJS.EventEmitter, 'on' | 'off'>;

/**
 * The signals of a process started by bin/stardash.js's relaunch, each stop counted once. While
 * nothing listens for a signal it does what it would do unhandled (ends the process), whichever
 * way it came; when the first process is gone (killed), this one stops as for SIGTERM. Other
 * events (uncaughtException, …) are the process's own.
 */
export function relayedSignals(proc: NodeJS.Process = process, now: () => number = () => performance.now()): SignalSource {
  const relay = new EventEmitter();
  let waiting: Arrival[] = [];
  const arrive = (signal: RelayedSignal, via: Arrival['via']): void => {
    const paired = pairArrival(waiting, { signal, via, at: now() });
    waiting = paired.waiting;
    if (!paired.act) return;
    if (relay.listenerCount(signal) > 0) relay.emit(signal, signal);
    else proc.kill(proc.pid, signal); // no handler is installed then: the default, as without the relay
  };
  const fromOs = { SIGINT: () => arrive('SIGINT', 'os'), SIGTERM: () => arrive('SIGTERM', 'os') };
  proc.on('message', (message: unknown) => {
    const signal = relayedSignalOf(message);
    if (signal) arrive(signal, 'message');
  });
  proc.on('disconnect', () => arrive('SIGTERM', 'message'));
  // The channel is only for signals: it must not keep this process alive once the run is over.
  proc.channel?.unref();
  if (proc.connected) proc.send?.(RELAYED.listening);

  const isRelayed = (event: string | symbol): event is RelayedSignal => event === 'SIGINT' || event === 'SIGTERM';
  // EventEmitter's own listener type, which takes anything.
  type Listener = (...args: any[]) => void;
  const change = (how: 'on' | 'off', event: string | symbol, listener: Listener): typeof source => {
    if (!isRelayed(event)) {
      proc[how](event, listener);
      return source;
    }
    relay[how](event, listener);
    // The process's own handler is there exactly while something listens for the signal.
    const wanted = relay.listenerCount(event) > 0;
    const installed = proc.listeners(event).includes(fromOs[event]);
    if (wanted && !installed) proc.on(event, fromOs[event]);
    if (!wanted && installed) proc.off(event, fromOs[event]);
    return source;
  };
  const source = {
    on: (event: string | symbol, listener: Listener) => change('on', event, listener),
    off: (event: string | symbol, listener: Listener) => change('off', event, listener),
  };
  return source as SignalSource;
}
