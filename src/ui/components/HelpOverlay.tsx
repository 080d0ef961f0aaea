import { Box, Text } from 'ink';
import { useTheme } from '../hooks/use-theme.js';
import { KEY_HELP } from '../keys.js';
import { Rule } from './Rule.js';

export interface HelpOverlayProps {
  width: number;
  /** Lines, the rule line included; keys that do not fit are left out. */
  height: number;
}

/** The key list, shown in place of the task list while `?` is on. */
export function HelpOverlay({ width, height }: HelpOverlayProps) {
  const theme = useTheme();
  const shown = KEY_HELP.slice(0, Math.max(0, height - 2));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Rule title="Keys" width={width} right="? or esc to close" />
      {shown.map(({ keys, what }) => (
        <Text key={keys} wrap="truncate">
          {'  '}
          <Text bold color={theme.accent}>
            {keys.padEnd(11)}
          </Text>
          {'  '}
          {what}
        </Text>
      ))}
      {height - 1 > shown.length && (
        <Text wrap="truncate" color={theme.muted}>
          {'  '}The run goes on while this panel is open.
        </Text>
      )}
    </Box>
  );
}
