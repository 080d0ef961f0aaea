/**
 * stardash patches Ink (src/patches/ink+6.8.0.patch, applied by `npm ci`'s postinstall) so that a
 * frame costs what changed in it: caches that live across frames, rows not composed again when
 * their writes are the same, and rows of side-by-side styled writes joined without tokenising each
 * character. These tests pin what the terminal gets, so a patch that composes a row wrongly fails.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';

// Chalk settles its colour level when first imported: colours on before Ink loads.
process.env.FORCE_COLOR = '1';
const { Box, Text } = await import('ink');
const { render } = await import('ink-testing-library');

const inkBuild = join(dirname(createRequire(import.meta.url).resolve('ink')));

describe('Ink as patched by stardash', () => {
  test('the installed Ink carries the patch (postinstall ran)', async () => {
    for (const file of ['output.js', 'measure-text.js', 'render-node-to-output.js', 'ink.js']) {
      assert.match(await readFile(join(inkBuild, file), 'utf8'), /stardash patch/, file);
    }
  });

  test('styled texts side by side are joined as they are, with the gaps as spaces', () => {
    const { lastFrame } = render(
      <Box>
        <Text color="red">ab</Text>
        <Box marginLeft={3}>
          <Text bold>cd</Text>
        </Box>
        <Text> e </Text>
      </Box>,
    );
    assert.equal(lastFrame(), '\u001B[31mab\u001B[39m   \u001B[1mcd\u001B[22m e');
  });

  test('a row whose writes overlap (a border under its text) is composed cell by cell', () => {
    const { lastFrame } = render(
      <Box borderStyle="single" borderColor="green" width={8}>
        <Text color="blue">hi</Text>
      </Box>,
    );
    const lines = lastFrame()!.split('\n');
    assert.deepEqual(lines, [
      '\u001B[32m┌──────┐\u001B[39m',
      '\u001B[32m│\u001B[34mhi\u001B[39m    \u001B[32m│\u001B[39m',
      '\u001B[32m└──────┘\u001B[39m',
    ]);
  });

  test('a text that leaves a style open does not colour what follows it', () => {
    const { lastFrame } = render(
      <Box>
        <Text>{'\u001B[31mred'}</Text>
        <Text> plain</Text>
      </Box>,
    );
    assert.equal(lastFrame(), '\u001B[31mred\u001B[39m plain');
  });

  test('a row drawn again after a change, and back, shows each frame as it is', () => {
    const row = (n: number) => (
      <Box>
        <Text color="cyan">{`n=${n}`}</Text>
        <Text> fixed</Text>
      </Box>
    );
    const { lastFrame, rerender } = render(row(1));
    const frames = [lastFrame()];
    rerender(row(2));
    frames.push(lastFrame());
    rerender(row(1));
    frames.push(lastFrame());
    assert.deepEqual(frames, ['\u001B[36mn=1\u001B[39m fixed', '\u001B[36mn=2\u001B[39m fixed', '\u001B[36mn=1\u001B[39m fixed']);
  });

  test('wide characters take two cells in a joined row', () => {
    const { lastFrame } = render(
      <Box>
        <Text>星</Text>
        <Text color="yellow">★x</Text>
      </Box>,
    );
    assert.equal(lastFrame(), '星\u001B[33m★x\u001B[39m');
  });

  test('texts are laid out by their width on the terminal, graphemes of several code points included', () => {
    const at = (text: string) => render(
      <Box width={10} justifyContent="flex-end">
        <Text>{text}</Text>
      </Box>,
    ).lastFrame();
    // Each is two cells wide: a skin-tone emoji (two code points), a flag (two), an accented e (two code points, one cell) and a braille bar.
    assert.deepEqual(
      ['👍🏽', '🇫🇷', 'e\u0301x', '⣿▊'].map(at),
      ['        👍🏽', '        🇫🇷', '        e\u0301x', '        ⣿▊'],
    );
  });
});
