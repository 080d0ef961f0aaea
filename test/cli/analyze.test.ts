import assert from 'node:assert/strict';
import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { readReport, stardash } from '../helpers/cli.js';
import { filesUnder, pngHeader, realsky, realskyDir, repoRoot, tempDir } from '../helpers/fixtures.js';

/**
 * `stardash analyze` end to end: the real bin/stardash.js in a child process, on real sky images,
 * checked by its exit code, its output lines and the files it leaves in --out (spec/cli.md).
 */

const SDSS = realsky('sdss_galaxy_field.jpg');
const CLUSTER = realsky('eso_ngc2547_open_cluster.png');

interface Reference {
  readonly params: Record<string, number | boolean>;
  readonly images: Record<string, readonly (readonly [number, number, number])[]>;
  readonly files: Record<string, { readonly width: number; readonly height: number }>;
}
const reference = JSON.parse(await readFile(join(realskyDir, 'opencv-blob-reference.json'), 'utf8')) as Reference;
const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as { version: string };

function referenceKeypoints(name: string): { x: number; y: number; size: number }[] {
  return (reference.images[name] ?? []).map(([x, y, size]) => ({ x, y, size }));
}

test('analyze: two real images are counted, annotated and reported', async (t) => {
  const out = join(await tempDir(t), 'out');
  const run = await stardash(['analyze', SDSS, CLUSTER, '-o', out, '-w', '2', '--no-tui']);
  const report = await readReport(out, run);

  await t.test('exits 0 with nothing on stderr', () => {
    assert.equal(run.stderr, '');
    assert.equal(run.exitCode, 0);
  });

  await t.test('prints a header, a line per finished image and the summary', () => {
    const lines = run.stdout.split('\n');
    assert.equal(lines.length, 5, run.stdout);
    assert.equal(lines[0], `stardash analyze: 2 input(s), 2 worker(s), detector blob → ${out}`);
    const done = lines.slice(1, 3);
    assert.deepEqual(done.map((line) => line.slice(0, 5)), ['[1/2]', '[2/2]']);
    assert.equal(done.filter((l) => /^\[\d\/2\] done +sdss_galaxy_field\.jpg +23 stars +496×340 +\d+ ms$/.test(l)).length, 1, run.stdout);
    assert.equal(
      done.filter((l) => /^\[\d\/2\] done +eso_ngc2547_open_cluster\.png +37 stars +512×512 +\d+ ms$/.test(l)).length,
      1,
      run.stdout,
    );
    assert.match(lines[3] ?? '', /^Finished: 2 done, 0 failed, 0 skipped · 60 stars · \d+\.\d s · \d+\.\d images\/s$/);
    assert.equal(lines[4], `Report: ${join(out, 'report.json')} (and report.csv) · annotated images: ${join(out, 'processed')}`);
  });

  await t.test('report.json names the tool, version, command and detector with its parameters', () => {
    assert.equal(report.tool, 'stardash');
    assert.equal(report.version, version);
    assert.equal(report.command, 'analyze');
    assert.equal(report.detector.name, 'blob');
    assert.deepEqual(report.detector.params, reference.params);
    assert.equal(report.interrupted, false);
    assert.ok(Date.parse(report.startedAt) <= Date.parse(report.finishedAt), `${report.startedAt} … ${report.finishedAt}`);
    assert.equal(new Date(report.startedAt).toISOString(), report.startedAt);
  });

  await t.test('report.json totals and images: every star OpenCV finds, keypoints not rounded', async () => {
    assert.deepEqual(report.totals, { tasks: 2, done: 2, failed: 0, skipped: 0, stars: 23 + 37 });
    const expected = [
      { id: '1', file: SDSS, name: 'sdss_galaxy_field.jpg', processed: 'processed/sdss_galaxy_field.jpg' },
      { id: '2', file: CLUSTER, name: 'eso_ngc2547_open_cluster.png', processed: 'processed/eso_ngc2547_open_cluster.png' },
    ];
    assert.equal(report.images.length, 2);
    for (const [i, want] of expected.entries()) {
      const image = report.images[i]!;
      const keypoints = referenceKeypoints(want.name);
      assert.deepEqual(
        { id: image.id, file: image.file, processed: image.processed, status: image.status, error: image.error },
        { id: want.id, file: want.file, processed: want.processed, status: 'done', error: undefined },
      );
      assert.deepEqual({ width: image.width, height: image.height }, reference.files[want.name]);
      assert.equal(image.stars, keypoints.length);
      assert.equal(image.keypoints?.length, keypoints.length);
      assert.deepEqual(image.keypoints, keypoints);
      assert.equal(image.bytes, (await stat(want.file)).size);
      assert.equal(typeof image.analysisMs, 'number');
    }
  });

  await t.test('each processed image is a valid image of the input size, in the input format', async () => {
    for (const [processed, format, name] of [
      ['processed/sdss_galaxy_field.jpg', 'jpeg', 'sdss_galaxy_field.jpg'],
      ['processed/eso_ngc2547_open_cluster.png', 'png', 'eso_ngc2547_open_cluster.png'],
    ] as const) {
      const meta = await sharp(join(out, processed)).metadata();
      assert.deepEqual({ format: meta.format, width: meta.width, height: meta.height }, { format, ...reference.files[name] });
    }
    assert.deepEqual(await filesUnder(out), [
      'processed/eso_ngc2547_open_cluster.png',
      'processed/sdss_galaxy_field.jpg',
      'report.csv',
      'report.json',
      'run.jsonl',
    ]);
  });

  await t.test('report.csv has the header and a row per image', async () => {
    const csv = await readFile(join(out, 'report.csv'), 'utf8');
    const [a, b] = report.images;
    assert.equal(
      csv,
      [
        'id,status,file,processed,width,height,stars,bytes,analysisMs,error,url,attempts,downloadMs,trueStars,trueStarsFound,fainterStarsFound,falseStars',
        `1,done,${SDSS},processed/sdss_galaxy_field.jpg,496,340,23,${a?.bytes},${a?.analysisMs},,,,,,,,`,
        `2,done,${CLUSTER},processed/eso_ngc2547_open_cluster.png,512,512,37,${b?.bytes},${b?.analysisMs},,,,,,,,`,
        '',
      ].join('\r\n'),
    );
  });
});

test('analyze: each bad input fails alone, the good image is still done', async (t) => {
  const dir = await tempDir(t);
  const out = join(dir, 'out');
  const jpeg = await readFile(SDSS);
  const inputs = {
    empty: join(dir, 'empty.jpg'),
    truncated: join(dir, 'truncated.jpg'),
    text: join(dir, 'notes.jpg'),
    huge: join(dir, 'huge.png'),
    good: SDSS,
    missing: join(dir, 'missing.png'),
    dangling: join(dir, 'dangling.png'),
    noImages: join(dir, 'no-images'),
  };
  await writeFile(inputs.empty, '');
  await writeFile(inputs.truncated, jpeg.subarray(0, Math.floor(jpeg.length / 2)));
  await writeFile(inputs.text, 'not a JPEG, only words\n');
  await writeFile(inputs.huge, pngHeader(30_000, 30_000));
  await symlink(join(dir, 'gone.png'), inputs.dangling);
  await mkdir(join(inputs.noImages, 'sub'), { recursive: true });
  await writeFile(join(inputs.noImages, 'sub', 'readme.txt'), 'no pictures here\n');

  const run = await stardash(['analyze', ...Object.values(inputs), '-o', out, '--no-tui']);
  const report = await readReport(out, run);

  await t.test('exits 1: at least one task failed', () => {
    assert.equal(run.exitCode, 1, run.stderr);
    assert.equal(run.stderr, '');
  });

  await t.test('totals are exact', () => {
    assert.deepEqual(report.totals, { tasks: 8, done: 1, failed: 7, skipped: 0, stars: 23 });
  });

  await t.test('every input has its status and error code, in the order given', () => {
    assert.deepEqual(
      report.images.map((image) => [image.id, image.file, image.status, image.errorCode]),
      [
        ['1', inputs.empty, 'failed', 'E_EMPTY_FILE'],
        ['2', inputs.truncated, 'failed', 'E_DECODE'],
        ['3', inputs.text, 'failed', 'E_DECODE'],
        ['4', inputs.huge, 'failed', 'E_TOO_MANY_PIXELS'],
        ['5', SDSS, 'done', undefined],
        ['6', inputs.missing, 'failed', 'E_READ'],
        ['7', inputs.dangling, 'failed', 'E_READ'],
        ['8', inputs.noImages, 'failed', 'E_NO_IMAGES'],
      ],
    );
    assert.deepEqual(report.images[4]?.keypoints, referenceKeypoints('sdss_galaxy_field.jpg'));
  });

  await t.test('every error says what went wrong with which input', () => {
    const errors = report.images.map((image) => image.error ?? '');
    assert.equal(errors[0], `${inputs.empty} is empty (0 bytes): nothing to decode.`);
    assert.match(errors[1]!, /could not be decoded: the image data is truncated or corrupt \(.+\)\.$/);
    assert.ok(errors[1]!.startsWith(inputs.truncated), errors[1]);
    assert.ok(errors[2]!.startsWith(`${inputs.text} is not an image that can be read (JPEG, PNG, WebP, TIFF or GIF)`), errors[2]);
    assert.ok(errors[3]!.includes('30000×30000'), errors[3]);
    assert.ok(errors[3]!.includes('--max-pixels'), errors[3]);
    assert.equal(errors[4], '');
    assert.equal(errors[5], `Cannot read ${inputs.missing}: it does not exist.`);
    assert.equal(errors[6], `Cannot read ${inputs.dangling}: it is a broken symbolic link: its target ${join(dir, 'gone.png')} does not exist.`);
    assert.ok(errors[7]!.startsWith(`No images in the folder ${inputs.noImages} `), errors[7]);
  });

  await t.test('prints a failed line with the code for each bad input, and the summary', () => {
    const lines = run.stdout.split('\n');
    const failed = lines.filter((line) => / failed +/.test(line)).map((line) => /failed +(\S+) +(E_\w+): /.exec(line)?.slice(1));
    assert.deepEqual(
      failed.sort(),
      [
        ['dangling.png', 'E_READ'],
        ['empty.jpg', 'E_EMPTY_FILE'],
        ['huge.png', 'E_TOO_MANY_PIXELS'],
        ['missing.png', 'E_READ'],
        ['no-images', 'E_NO_IMAGES'],
        ['notes.jpg', 'E_DECODE'],
        ['truncated.jpg', 'E_DECODE'],
      ],
    );
    assert.equal(lines.filter((line) => / done +sdss_galaxy_field\.jpg +23 stars/.test(line)).length, 1, run.stdout);
    assert.match(run.stdout, /^Finished: 1 done, 7 failed, 0 skipped · 23 stars · /m);
  });

  await t.test('only the good image is annotated, and no .part file is left anywhere', async () => {
    assert.deepEqual(await filesUnder(out), ['processed/sdss_galaxy_field.jpg', 'report.csv', 'report.json', 'run.jsonl']);
  });
});

test('analyze: --max-pixels is the limit itself: an image of exactly that many pixels goes on to the decoder', async (t) => {
  const dir = await tempDir(t);
  const huge = join(dir, 'huge.png');
  await writeFile(huge, pngHeader(30_000, 30_000));
  const run = await stardash(['analyze', huge, '-o', join(dir, 'out'), '--no-tui', '--max-pixels', String(30_000 * 30_000)]);
  const [image] = (await readReport(join(dir, 'out'), run)).images;
  assert.equal(run.exitCode, 1);
  // Past the guard, the header-only file is found to have no pixels.
  assert.equal(image?.errorCode, 'E_DECODE');
  assert.match(image?.error ?? '', /could not be decoded/);
});

const USAGE_ERRORS: readonly { what: string; args: readonly string[]; stderr: RegExp }[] = [
  { what: 'no paths', args: [], stderr: /missing required argument 'path'[\s\S]*--help/ },
  {
    what: '--workers 0',
    args: [SDSS, '--workers', '0'],
    stderr: /'-w, --workers <n>' argument '0' is invalid\. expected a whole number of at least 1, got "0"/,
  },
  { what: '--detector nope', args: [SDSS, '--detector', 'nope'], stderr: /unknown detector "nope"; choose one of: blob, sky\./ },
  {
    what: 'an unknown detector parameter',
    args: [SDSS, '-p', 'minAreaa=5'],
    stderr: /^stardash: Unknown parameter minAreaa for the blob detector; it has: .*\bminArea\b/,
  },
  {
    what: 'a parameter that is not a number',
    args: [SDSS, '-p', 'minArea=abc'],
    stderr: /'-p, --param <key=value>' argument 'minArea=abc' is invalid\. the value of minArea must be a number, true or false, got "abc"/,
  },
  {
    what: 'a blank parameter value',
    args: [SDSS, '-p', 'minArea= '],
    stderr: /the value of minArea must be a number, true or false, got " "/,
  },
  {
    what: 'a parameter of the wrong type',
    args: [SDSS, '-p', 'filterByColor=5'],
    stderr: /^stardash: Detector parameter filterByColor must be a boolean, but received 5\./,
  },
];

for (const { what, args, stderr } of USAGE_ERRORS) {
  test(`analyze: ${what} is a usage error (exit 2), and nothing is run`, async (t) => {
    const out = join(await tempDir(t), 'out');
    const run = await stardash(['analyze', ...args, '-o', out, '--no-tui']);
    assert.match(run.stderr, stderr);
    assert.equal(run.exitCode, 2);
    assert.equal(run.stdout, '');
    await assert.rejects(stat(out), { code: 'ENOENT' });
  });
}

test('analyze: an --out that cannot be a folder is a usage error (exit 2), not a crash', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'a-file');
  await writeFile(file, 'keep me\n');
  const run = await stardash(['analyze', SDSS, '-o', file, '--no-tui']);
  assert.equal(
    run.stderr,
    `stardash: cannot use ${file} as the output folder (ENOTDIR): give a folder that can be created and written with --out.`,
  );
  assert.equal(run.exitCode, 2);
  assert.equal(run.stdout, '');
  assert.equal(await readFile(file, 'utf8'), 'keep me\n');
});

test('analyze --json: one JSON event a line, thumbnails left out', async (t) => {
  const out = join(await tempDir(t), 'out');
  const run = await stardash(['analyze', SDSS, CLUSTER, '-o', out, '-w', '2', '--json']);
  assert.equal(run.exitCode, 0, run.stderr);
  assert.equal(run.stderr, '');
  const events = run.stdout.split('\n').map((line) => JSON.parse(line) as { type: string } & Record<string, unknown>);
  const ofType = (type: string): (typeof events)[number][] => events.filter((event) => event.type === type);

  assert.deepEqual({ ...events[0], at: undefined }, { type: 'run-started', command: 'analyze', detector: 'blob', workers: 2, at: undefined });
  assert.deepEqual(events[1], {
    type: 'tasks-added',
    tasks: [
      { id: '1', name: SDSS, file: SDSS },
      { id: '2', name: CLUSTER, file: CLUSTER },
    ],
  });
  assert.deepEqual(ofType('analysis-started').map((e) => e.id).sort(), ['1', '2']);
  const done = ofType('analysis-done') as unknown as { id: string; result: Record<string, unknown> & { keypoints: unknown[] } }[];
  assert.deepEqual(
    done.map((e) => [e.id, e.result.keypoints.length, e.result.width, e.result.height]).sort(),
    [
      ['1', 23, 496, 340],
      ['2', 37, 512, 512],
    ],
  );
  for (const event of done) assert.equal('thumbnail' in event.result, false);
  assert.doesNotMatch(run.stdout, /thumbnail/);
  assert.equal(events.at(-1)?.type, 'run-finished');
  assert.equal(events.at(-1)?.interrupted, false);
  assert.equal(ofType('run-finished').length, 1);
  assert.deepEqual((await readReport(out, run)).totals, { tasks: 2, done: 2, failed: 0, skipped: 0, stars: 60 });
});

test('--help exits 0 and lists the analyze command', async () => {
  const run = await stardash(['--help']);
  assert.equal(run.exitCode, 0);
  assert.match(run.stdout, /^Usage: stardash /);
  assert.match(run.stdout, /^ {2}analyze \[options\] <path\.\.\.> +count the stars in local images/m);
});

test('analyze --help exits 0 and lists its options', async () => {
  const run = await stardash(['analyze', '--help']);
  assert.equal(run.exitCode, 0);
  for (const option of ['--out <dir>', '--workers <n>', '--detector <name>', '--param <key=value>', '--no-tui', '--json', '--max-pixels <n>']) {
    assert.ok(run.stdout.includes(option), `${option} in:\n${run.stdout}`);
  }
});

test('--version prints the version in package.json', async () => {
  const run = await stardash(['--version']);
  assert.equal(run.exitCode, 0);
  assert.equal(run.stdout, version);
});
