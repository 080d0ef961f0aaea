import { useRef } from 'react';
import { ActivityTracker, type Activity } from '../activity.js';
import type { RunState } from '../../orchestrator/state.js';

/** The run's activity (follow anchor, latest finished image, star counts), updated incrementally per render. */
export function useActivity(state: RunState): Activity {
  const tracker = useRef<ActivityTracker | null>(null);
  tracker.current ??= new ActivityTracker();
  return tracker.current.update(state);
}
