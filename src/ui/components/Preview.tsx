import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import type { TaskState } from '../../orchestrator/state.js';
import { STAR_MARK, brailleImage, brailleRuns, sparseStars } from '../braille.js';
import { previewSize } from '../layout.js';
import { formatCount, formatCounted, formatDuration } from '../format.js';
import { useTheme } from '../hooks/use-theme.js';
import { paint } from '../paint.js';
import { Rule } from './Rule.js';
import { falseWords, foundWords } from '../truth-words.js';

export interface PreviewProps {
  /** A done task (with its thumbnail), or undefined before any image finished. */
  task: TaskState | undefined;
  /** Whether `task` is the selected row rather than the latest finished image. */
  selected: boolean;
  width: number;
  /** Lines, the rule line included. */
  height: number;
}

/** The image in braille with its detected stars marked ✦, its name above and its counts below. */
export const Preview = memo(function Preview({ task, selected, width, height }: PreviewProps) {
  const theme = useTheme();
  const result = task?.result;
  const rows = Math.max(0, height - 2);
  const picture = useMemo(() => {
    const t = result?.thumbnail; // a run with the dashboard always asks for thumbnails
    if (!t) return undefined;
    const size = previewSize(t, width, rows);
    const dots = brailleImage(t, size.cols, size.rows);
    // Few stars: each a ✦; many: their own lit dots, told apart by colour (if any).
    const marked = sparseStars(dots.marks.length, size.cols, size.rows) ? brailleImage(t, size.cols, size.rows, { mark: STAR_MARK }) : dots;
    // Each line one string: a dense sky's line is a hundred runs, too many Texts to lay out each frame.
    const lines = brailleRuns(marked).map((runs) => runs.map((run) => paint(run.text, { color: run.star ? theme.star : theme.muted, bold: run.star })).join(''));
    return { lines, width: size.cols };
  }, [result, width, rows, theme]);
  if (height < 3) return null; // no room for a picture between the rule and the caption
  const title = selected ? 'Selected' : 'Latest';
  if (!task || !result || !picture) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Rule title="Preview" width={width} />
        <Box width={width} height={Math.max(0, height - 1)} justifyContent="center" alignItems="center">
          <Text color={theme.muted}>waiting for the first finished image…</Text>
        </Box>
      </Box>
    );
  }
  const truth = result.truth ? ` · ${falseWords(result.truth, formatCount)} · ${foundWords(result.truth, formatCount)}` : '';
  const caption = `✦ ${formatCounted(result.stars, 'star')}${truth} · ${result.width}×${result.height} · ${formatDuration(result.analysisMs)}`;
  const pad = Math.max(0, Math.floor((width - picture.width) / 2));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box width={width} height={1}>
        <Rule title={title} width={width} right={task.name} />
      </Box>
      <Box flexDirection="column" width={width} height={rows} paddingLeft={pad} justifyContent="center">
        {picture.lines.map((line, i) => (
          <Text key={i} wrap="truncate">
            {line}
          </Text>
        ))}
      </Box>
      <Box width={width} height={1} justifyContent="center">
        <Text wrap="truncate" color={theme.star}>
          {caption}
        </Text>
      </Box>
    </Box>
  );
});
