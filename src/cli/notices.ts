/**
 * Warnings that come from outside a run (the --out lock lost mid-run) on their way to whatever
 * output the run has: the dashboard draws them in its frame, plain output on stderr, --json as a
 * record. Written straight to stderr, they tore the dashboard's frame. While no run listens
 * (before its output is up, after it is gone), a notice goes to the fallback: a line on stderr.
 */
import type { Notice } from '../orchestrator/events.js';

export type { Notice } from '../orchestrator/events.js';

export interface NoticeSource {
  /** `listener` gets every notice until the returned disposer is called (the last listener added wins). */
  on(listener: (notice: Notice) => void): () => void;
}

export interface NoticeChannel {
  source: NoticeSource;
  emit(notice: Notice): void;
}

/** A channel whose notices go to the listener added last, or to `fallback` when there is none. */
export function noticeChannel(fallback: (notice: Notice) => void): NoticeChannel {
  const listeners: ((notice: Notice) => void)[] = [];
  return {
    source: {
      on(listener) {
        listeners.push(listener);
        return () => {
          const at = listeners.lastIndexOf(listener);
          if (at >= 0) listeners.splice(at, 1);
        };
      },
    },
    emit(notice) {
      (listeners.at(-1) ?? fallback)(notice);
    },
  };
}

/** A notice as a line on stderr (plain output, and when no output is up). */
export function noticeLine(notice: Notice): string {
  return `stardash: ${notice.message}\n`;
}
