import assert from 'node:assert/strict';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import sharp from 'sharp';
import { parseCast } from '../helpers/asciicast.js';
import { repoRoot, tempDir } from '../helpers/fixtures.js';
import { tmuxSkip } from '../helpers/tmux.js';
import { pickMoments } from './make-screenshots.js';

const running = 'cpu0 ███  Stars Toward Orion ↓ downloading ⠁⢀';

test('the moments: mid-run after the pause, the end of the pause, the summary', () => {
  const samples = [
    { time: 1, text: 'starting' },
    { time: 2, text: running },
    { time: 3, text: running.replace('downloading', 'done') },
    { time: 4, text: `PAUSED ${running}` },
    { time: 5, text: `PAUSED ${running}` },
    { time: 6, text: running },
    { time: 7, text: running },
    { time: 8, text: running },
    { time: 9, text: running.replace('downloading', 'done') },
    { time: 10, text: '✦ stardash demo finished in 7 s' },
  ];
  assert.deepEqual(pickMoments(samples), { running: 7, paused: 5, summary: 10 });
  // No full screen after the pause: the last one before it.
  assert.deepEqual(pickMoments([...samples.slice(0, 5), samples.at(-1)!]), { running: 2, paused: 5, summary: 10 });
  assert.throws(() => pickMoments(samples.filter((sample) => !sample.text.includes('PAUSED'))), /never shows PAUSED/);
  assert.throws(() => pickMoments(samples.slice(0, 5)), /does not end on the summary/);
});

test('the screenshot script records the demo and writes the cast, three PNGs and the animation', { skip: tmuxSkip, timeout: 90_000 }, async (t) => {
  const out = await tempDir(t, 'stardash-screenshots-');
  const script = join(repoRoot, 'dist', 'test', 'screenshots', 'make-screenshots.js');
  const run = await execa(process.execPath, [script, '--out', out, '--count', '8', '--bandwidth', '400'], { reject: false, all: true });
  assert.equal(run.exitCode, 0, run.all);
  assert.deepEqual((await readdir(out)).sort(), ['dashboard.png', 'demo.cast', 'demo.svg', 'paused.png', 'summary.png']);

  for (const name of ['dashboard.png', 'paused.png', 'summary.png']) {
    const file = join(out, name);
    assert.ok((await stat(file)).size > 10_000, `${name} is a picture, not an empty file`);
    const meta = await sharp(file).metadata();
    assert.equal(meta.format, 'png', name);
    assert.ok((meta.width ?? 0) > 2000, `${name} is 120 columns at twice the pixels: ${meta.width}`);
    // A real screen shows several colours, not one flat fill.
    const { channels } = await sharp(file).stats();
    assert.ok(channels.some((channel) => channel.stdev > 10), `${name} is not blank`);
  }
  const [dashboard, paused] = await Promise.all(['dashboard.png', 'paused.png'].map((name) => readFile(join(out, name))));
  assert.notDeepEqual(dashboard, paused, 'two moments, two pictures');
  const cast = parseCast(await readFile(join(out, 'demo.cast'), 'utf8'));
  assert.deepEqual([cast.header.width, cast.header.height], [120, 36]);
  assert.match(cast.output, /PAUSED/);
  const svg = await readFile(join(out, 'demo.svg'), 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.ok((svg.match(/<g transform="translate\(\d+ 0\)">/g) ?? []).length > 5, 'the animation has frames');
});
