import { join } from 'node:path';
import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';

export interface FooterProps {
  width: number;
  paused: boolean;
  finished: boolean;
  failed: number;
  reportPath: string;
  outDir: string;
  /** The last warning about the run (a lost --out lock), shown first: a line on stderr would tear the frame. */
  notice?: string;
}

/** One line of key hints (or, once finished, where the report is), after the last notice if any. */
export function Footer({ width, paused, finished, failed, reportPath, outDir, notice }: FooterProps) {
  const theme = useTheme();
  const hints: [string, string][] = finished
    ? [
        ['q', 'quit'],
        ['↑↓', 'browse'],
        ...(failed > 0 ? ([['r', 'retry failed']] as [string, string][]) : []),
      ]
    : [
        ['p', paused ? 'resume' : 'pause'],
        ...(failed > 0 ? ([['r', 'retry failed']] as [string, string][]) : []),
        ['↑↓ jk', 'move'],
        ['f', 'follow'],
        ['?', 'help'],
        ['q', 'quit'],
      ];
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate">
        {notice !== undefined && (
          <Text color={theme.warn} bold>
            ⚠ {notice}
            {'   '}
          </Text>
        )}
        {finished && (
          <Text color={theme.ok}>
            report <Text bold>{reportPath}</Text>
            {'  '}images <Text bold>{join(outDir, 'processed')}/</Text>
            {'   '}
          </Text>
        )}
        {hints.map(([key, what], i) => (
          <Text key={key}>
            {i > 0 ? '  ' : ''}
            <Text bold color={theme.accent}>
              {key}
            </Text>
            <Text color={theme.muted}> {what}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
