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
}

/** One line of key hints (or, once finished, where the report is). */
export function Footer({ width, paused, finished, failed, reportPath, outDir }: FooterProps) {
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
