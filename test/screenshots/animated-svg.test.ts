import assert from 'node:assert/strict';
import { test } from 'node:test';
import { animatedSvg, mergeRepeats } from './animated-svg.js';

test('a frame that repeats the one before is merged into it, its time added', () => {
  const frames = mergeRepeats([
    { rows: ['a', ''], seconds: 0.25 },
    { rows: ['a', ''], seconds: 0.25 },
    { rows: ['b', ''], seconds: 0.25 },
    { rows: ['a', ''], seconds: 1 },
  ]);
  assert.deepEqual(frames, [
    { rows: ['a', ''], seconds: 0.5 },
    { rows: ['b', ''], seconds: 0.25 },
    { rows: ['a', ''], seconds: 1 },
  ]);
});

test('each distinct row is defined once; the film moves a frame width at each frame\'s start', () => {
  const svg = animatedSvg(
    [
      { rows: ['<text>A</text>', '<text>B</text>'], seconds: 1 },
      { rows: ['<text>A</text>', ''], seconds: 3 },
    ],
    10,
    2,
    'demo',
  );
  assert.match(svg, /<defs><g id="r0"><text>A<\/text><\/g><g id="r1"><text>B<\/text><\/g><\/defs>/);
  assert.match(svg, /<g transform="translate\(0 0\)"><use href="#r0" y="0"\/><use href="#r1" y="18"\/><\/g><g transform="translate\(84 0\)"><use href="#r0" y="0"\/><\/g>/);
  assert.match(svg, /@keyframes film\{0%\{transform:translateX\(0px\)\}25%\{transform:translateX\(-84px\)\}\}\.film\{animation:film 4s step-end infinite\}/);
  assert.match(svg, /<svg width="84" height="36" overflow="hidden">/);
});
