/**
 * A signal that follows `parent` only until disposed. got keeps listening to the signal it was
 * given after the request has finished, and aborting a finished request makes it emit an error
 * that no one listens to any more: an uncaught exception. A run-wide signal (Ctrl-C) therefore
 * reaches each request through one of these, disposed when the request is over.
 */
export function scopedSignal(parent: AbortSignal | undefined): { signal: AbortSignal; dispose(): void } {
  const own = new AbortController();
  if (!parent) return { signal: own.signal, dispose: () => undefined };
  const forward = (): void => own.abort(parent.reason);
  if (parent.aborted) forward();
  else parent.addEventListener('abort', forward, { once: true });
  return { signal: own.signal, dispose: () => parent.removeEventListener('abort', forward) };
}
