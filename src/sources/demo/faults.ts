/**
 * The demo's fault set (`stardash demo --faults`): a fixed table of images that misbehave, by index,
 * so that retries, failures and timeouts are exercised deterministically and tests know what to expect.
 */

export type DemoFaultKind =
  /** 503 Service Unavailable (no Retry-After). */
  | 'server-error'
  /** 429 Too Many Requests with `Retry-After: 1`. */
  | 'rate-limited'
  /** 200 with the full Content-Length, half the body, then the server closes the connection (FIN). */
  | 'truncated'
  /** The connection is reset (TCP RST) before any response: the client sees ECONNRESET or "socket hang up". */
  | 'reset-before-headers'
  /**
   * 200 with the full Content-Length, half the body, then a TCP RST: the client sees ECONNRESET, after
   * the headers and part of the body or, when the reset overtakes what it has not read yet (the
   * kernel drops that), instead of any response.
   */
  | 'reset-mid-body'
  /** 404 Not Found, plain text. */
  | 'not-found'
  /** 200 with `Content-Type: text/html` and an HTML page instead of the image. */
  | 'html'
  /** 200 headers (Content-Length of the image) and then nothing: the body never comes. */
  | 'stalled';

export interface DemoFault {
  /** The catalogue index of the image (its entry's date is DEMO_LAST_DATE minus index days). */
  index: number;
  kind: DemoFaultKind;
  /** True: only the first GET of the image misbehaves, a retry gets the image. False: every request does. */
  recovers: boolean;
}

/**
 * The fault set. Index 5 is the catalogue's video entry, so it is not here; with the default 24
 * images every fault is present (a smaller `--count` keeps those below it). Expected outcome with
 * retries: 6 images recover (downloaded on attempt 2), 2 fail (404 and HTML).
 */
export const DEMO_FAULTS: readonly Readonly<DemoFault>[] = Object.freeze(([
  { index: 1, kind: 'server-error', recovers: true },
  { index: 3, kind: 'rate-limited', recovers: true },
  { index: 6, kind: 'truncated', recovers: true },
  { index: 8, kind: 'reset-mid-body', recovers: true },
  { index: 10, kind: 'not-found', recovers: false },
  { index: 11, kind: 'html', recovers: false },
  { index: 13, kind: 'stalled', recovers: true },
  { index: 15, kind: 'reset-before-headers', recovers: true },
] satisfies DemoFault[]).map((fault) => Object.freeze(fault)));

/** The smallest period the fault set can repeat with (one past its last index). */
export const DEMO_FAULTS_SPAN = Math.max(...DEMO_FAULTS.map((f) => f.index)) + 1;

/**
 * The faults present in a catalogue of `count` images; with a `period`, the set repeats every
 * `period` images (image i misbehaves as image i mod period would), for long runs.
 */
export function demoFaultsFor(count: number, period?: number): DemoFault[] {
  const repeats = period === undefined ? 1 : Math.ceil(count / period);
  return Array.from({ length: repeats }, (_, r) => DEMO_FAULTS.map((f) => ({ ...f, index: f.index + r * (period ?? 0) })))
    .flat()
    .filter((fault) => fault.index < count);
}

/**
 * What the `attempt`-th GET (1 for the first) of image `index` should do, or undefined to serve it.
 * HEAD requests pass `attempt` Infinity: only permanent faults apply to them. With a `period`
 * (at least DEMO_FAULTS_SPAN), the set repeats every `period` images.
 */
export function demoFaultFor(index: number, attempt: number, period?: number): DemoFaultKind | undefined {
  const at = period === undefined ? index : index % period;
  const fault = DEMO_FAULTS.find((f) => f.index === at);
  if (!fault) return undefined;
  return !fault.recovers || attempt <= 1 ? fault.kind : undefined;
}
