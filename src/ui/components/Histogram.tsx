import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { formatCount } from '../format.js';
import { bucketCount, histogram, histogramRows } from '../histogram.js';
import { useTheme } from '../hooks/use-theme.js';
import { Rule } from './Rule.js';

/** Taller bars say no more; the lines below stay blank. */
const MAX_BAR_ROWS = 16;

export interface HistogramProps {
  /** Star counts of the finished images; may grow in place, so `count` says how many to use. */
  values: readonly number[];
  count: number;
  width: number;
  /** Lines, the rule line and the axis included. */
  height: number;
}

/** Vertical bars of how many images found how many stars, with the axis's ends labelled. */
export const Histogram = memo(function Histogram({ values, count, width, height }: HistogramProps) {
  const theme = useTheme();
  const rows = Math.min(MAX_BAR_ROWS, Math.max(0, height - 2));
  const drawn = useMemo(() => {
    const h = histogram(values.slice(0, count), bucketCount(count, Math.floor(width / 2)));
    const barWidth = h.counts.length > 0 ? Math.max(1, Math.floor(width / h.counts.length) - 1) : 1;
    return { h, barWidth, lines: histogramRows(h.counts, rows, barWidth, 1) };
  }, [values, count, width, rows]);
  if (height <= 0) return null;
  const { h, barWidth, lines } = drawn;
  const peak = Math.max(0, ...h.counts);
  const span = h.counts.length * (barWidth + 1) - 1;
  const axis = axisLine(formatCount(h.min), formatCount(h.max), span);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Rule title="Stars per image" width={width} right={count > 0 ? `${formatCount(count)} images · peak ${peak}` : undefined} />
      {count === 0 ? (
        <Box width={width} height={Math.max(0, height - 1)} justifyContent="center" alignItems="center">
          <Text color={theme.muted}>no finished images yet</Text>
        </Box>
      ) : (
        <>
          {lines.map((line, i) => (
            <Text key={i} wrap="truncate" color={theme.accent}>
              {line}
            </Text>
          ))}
          <Text wrap="truncate" color={theme.muted}>
            {axis}
          </Text>
        </>
      )}
    </Box>
  );
});

/** `0      stars      320` across `span` cells (the labels under the first and last bar). */
function axisLine(lo: string, hi: string, span: number): string {
  const label = 'stars';
  const inner = span - lo.length - hi.length;
  if (inner < label.length + 2) return `${lo}${' '.repeat(Math.max(1, inner))}${hi}`;
  const left = Math.floor((inner - label.length) / 2);
  return lo + ' '.repeat(left) + label + ' '.repeat(inner - label.length - left) + hi;
}
