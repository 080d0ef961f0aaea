import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';

export interface RuleProps {
  title: string;
  width: number;
  /** Dim text at the right end of the rule. */
  right?: string;
}

/** A section title drawn into a horizontal line: `─ Tasks ──────── 1–14 of 24 ─`. */
export function Rule({ title, width, right }: RuleProps) {
  const theme = useTheme();
  const tail = right ? ` ${right} ─` : '';
  const fill = Math.max(1, width - title.length - 3 - tail.length);
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate">
        <Text color={theme.muted}>─ </Text>
        <Text bold color={theme.title}>
          {title}
        </Text>
        <Text color={theme.muted}>
          {' '}
          {'─'.repeat(fill)}
          {tail}
        </Text>
      </Text>
    </Box>
  );
}
