import { Box, Text } from 'ink';
import wrapAnsi from 'wrap-ansi';
import type { RunState } from '../../orchestrator/state.js';
import { useTheme } from '../hooks/use-theme.js';
import { summaryLines } from '../summary.js';
import { ThemeContext, colorEnabled, themeFor } from '../theme.js';

export interface SummaryProps {
  state: RunState;
  /** Current time (ms since the epoch), for a run without a recorded end. */
  now: number;
  /** Undefined when the report could not be written. */
  reportPath: string | undefined;
  outDir: string;
  /** Lines wrap at this width; the summary stays in the scroll-back, so it has no height limit. */
  width?: number;
  /** Colours on; defaults to on unless NO_COLOR is set. */
  color?: boolean;
  maxListed?: number;
}

/** The end-of-run text: totals, failures and skips with their reasons, where the report and images are. */
export function Summary({ color = colorEnabled(), ...props }: SummaryProps) {
  return (
    <ThemeContext.Provider value={themeFor(color)}>
      <SummaryBody {...props} />
    </ThemeContext.Provider>
  );
}

/** A one-segment line wrapped at word boundaries without the space a break falls on (Ink's own wrap keeps it). */
function wrapped(text: string, width: number | undefined): string {
  return width === undefined || width <= 0 ? text : wrapAnsi(text, width, { hard: true });
}

function SummaryBody({ state, now, reportPath, outDir, width, maxListed }: Omit<SummaryProps, 'color'>) {
  const theme = useTheme();
  const lines = summaryLines(state, { now, reportPath, outDir, ...(maxListed === undefined ? {} : { maxListed }) });
  return (
    <Box flexDirection="column" {...(width === undefined ? {} : { width })}>
      {lines.map((segments, i) => {
        // A line's leading spaces indent it as a whole, so that its wrapped part stays under it.
        const indent = /^ */.exec(segments[0]?.text ?? '')![0].length;
        return (
          <Box key={i} paddingLeft={indent}>
            <Text>
              {segments.map((s, j) => (
                <Text key={j} color={s.tone ? theme[s.tone] : undefined} bold={s.bold ?? false}>
                  {j === 0 ? wrapped(s.text.slice(indent), segments.length === 1 && width !== undefined ? width - indent : undefined) : s.text}
                </Text>
              ))}
            </Text>
          </Box>
        );
      })}
    </Box>
  );
}
