import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { colorEnabled, themeFor } from '../../src/ui/theme.js';

const script = fileURLToPath(new URL('./render-demo.js', import.meta.url));
const COLOUR = /\u001b\[(3[0-9]|9[0-7])m/;

async function renderDemo(env: Record<string, string | undefined>): Promise<string> {
  const { NO_COLOR: _drop, ...rest } = process.env;
  const { stdout } = await promisify(execFile)(process.execPath, [script, '80', '24', '--ansi', '--synthetic'], { env: { ...rest, ...env } });
  return stdout;
}

describe('NO_COLOR', () => {
  test('colour is on unless NO_COLOR is set and not empty', () => {
    assert.equal(colorEnabled({}), true);
    assert.equal(colorEnabled({ NO_COLOR: '' }), true);
    assert.equal(colorEnabled({ NO_COLOR: '1' }), false);
    assert.ok(Object.entries(themeFor(false)).every(([k, v]) => k === 'color' || v === undefined));
  });

  test('the dashboard draws in colour, and without any under NO_COLOR', async () => {
    const [coloured, plain] = await Promise.all([renderDemo({ FORCE_COLOR: '1' }), renderDemo({ FORCE_COLOR: '1', NO_COLOR: '1' })]);
    assert.match(coloured, COLOUR);
    assert.doesNotMatch(plain, COLOUR);
    assert.match(plain, /cpu0/);
  });
});
