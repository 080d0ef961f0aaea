import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
}

function sizeOf(stdout: NodeJS.WriteStream, fallback: TerminalSize): TerminalSize {
  return { columns: stdout.columns || fallback.columns, rows: stdout.rows || fallback.rows };
}

/** The terminal's size, following resizes; `fallback` when the stream does not know (not a TTY). */
export function useTerminalSize(fallback: TerminalSize = { columns: 80, rows: 24 }): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout, fallback));
  useEffect(() => {
    const onResize = (): void => setSize(sizeOf(stdout, fallback));
    stdout.on('resize', onResize);
    onResize();
    return () => {
      stdout.off('resize', onResize);
    };
    // The fallback is a default value, not a dependency worth resubscribing for.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout]);
  return size;
}
