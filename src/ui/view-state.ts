/** What the dashboard shows, apart from the run: the selected row, auto-follow and the help panel. Pure. */

export interface ViewState {
  /** Index of the selected task (meaningful when not following). */
  selected: number;
  /** The list follows the latest activity instead of the selection. */
  follow: boolean;
  helpVisible: boolean;
}

export type ViewAction =
  | { type: 'up' }
  | { type: 'down' }
  | { type: 'pageUp' }
  | { type: 'pageDown' }
  | { type: 'home' }
  | { type: 'end' }
  /** Back to following the activity. */
  | { type: 'follow' }
  | { type: 'toggleHelp' }
  | { type: 'hideHelp' };

/** What moving needs to know about the list on screen. */
export interface ViewContext {
  /** Number of tasks. */
  total: number;
  /** Rows a page moves (the list's visible height). */
  page: number;
  /** The row the list follows (first unfinished task); moving away from follow mode starts there. */
  anchor?: number;
}

export const INITIAL_VIEW: ViewState = Object.freeze({ selected: 0, follow: true, helpVisible: false });

/** Folds one key action into the view; any move leaves follow mode, `follow` returns to it. */
export function reduceView(view: ViewState, action: ViewAction, context: ViewContext): ViewState {
  const last = Math.max(0, context.total - 1);
  const page = Math.max(1, context.page);
  const from = view.follow ? (context.anchor ?? view.selected) : view.selected;
  const moveTo = (to: number): ViewState => {
    const selected = Math.min(last, Math.max(0, to));
    return view.follow || selected !== view.selected ? { ...view, selected, follow: false } : view;
  };
  switch (action.type) {
    case 'up':
      return moveTo(from - 1);
    case 'down':
      return moveTo(from + 1);
    case 'pageUp':
      return moveTo(from - page);
    case 'pageDown':
      return moveTo(from + page);
    case 'home':
      return moveTo(0);
    case 'end':
      return moveTo(last);
    case 'follow':
      return view.follow ? view : { ...view, follow: true };
    case 'toggleHelp':
      return { ...view, helpVisible: !view.helpVisible };
    case 'hideHelp':
      return view.helpVisible ? { ...view, helpVisible: false } : view;
  }
}

/** The selection clamped to the list as it is now (tasks may have been added since). */
export function clampSelected(view: ViewState, total: number): number {
  return Math.min(Math.max(0, total - 1), Math.max(0, view.selected));
}
