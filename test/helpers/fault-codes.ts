import type { DemoFaultKind } from '../../src/sources/demo/index.js';

/** The DownloadError code each demo fault shows as. */
export const FAULT_CODE: Record<DemoFaultKind, string> = {
  'server-error': 'E_HTTP_503',
  'rate-limited': 'E_HTTP_429',
  truncated: 'E_TRUNCATED',
  'reset-mid-body': 'E_TRUNCATED', // or E_NETWORK: see faultCodes
  'reset-before-headers': 'E_NETWORK',
  stalled: 'E_TIMEOUT',
  'not-found': 'E_HTTP_404',
  html: 'E_NOT_AN_IMAGE',
};

/**
 * The codes a fault may show as. A reset mid-body can overtake the response: the server writes the
 * headers and half the body, then resets; if the reset reaches the client before it has read them,
 * the kernel drops them and the client sees the connection reset with no response at all. Which one
 * happens is up to the scheduler, in one process (CI saw it) as across two.
 */
export function faultCodes(kind: DemoFaultKind): string[] {
  return kind === 'reset-mid-body' ? [FAULT_CODE[kind], 'E_NETWORK'] : [FAULT_CODE[kind]];
}
