import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { execa } from 'execa';
import sharp from 'sharp';
import { main } from '../../src/cli.js';
import type { Report } from '../../src/report/report.js';
import { mulberry32 } from '../../src/sources/demo/sky.js';
import { BIN } from '../helpers/cli.js';
import { filesUnder, realsky, realskyDir, repoRoot, tempDir } from '../helpers/fixtures.js';
import { shellQuote, startTmux, tmuxSkip } from '../helpers/tmux.js';

/** `stardash analyze` stopping early: by a signal, or when its report cannot be written. */


test('analyze: SIGINT after the first image stops cleanly: exit 130, report interrupted, no partial files', async (t) => {
  const dir = await tempDir(t);
  const images = join(dir, 'images');
  const out = join(dir, 'out');
  await mkdir(images);
  for (let i = 0; i < 30; i++) await copyFile(realsky('eso_ngc6752_globular_cluster.png'), join(images, `c${String(i).padStart(2, '0')}.png`));

  const child = execa(process.execPath, [BIN, 'analyze', images, '-o', out, '--json', '-w', '1'], { cwd: repoRoot, reject: false });
  let signalled = false;
  child.stdout!.on('data', (chunk: Buffer) => {
    if (!signalled && chunk.toString().includes('"analysis-done"')) {
      signalled = true;
      child.kill('SIGINT');
    }
  });
  const run = await child;
  assert.equal(signalled, true);
  assert.equal(run.exitCode, 130, run.stderr);
  assert.match(run.stderr, /Stopping… \(press Ctrl-C again to quit at once\)/);

  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
  assert.equal(report.interrupted, true);
  assert.equal(report.totals.tasks, 30);
  assert.ok(report.totals.done >= 1 && report.totals.done < 30, `done ${report.totals.done}`);
  assert.equal(report.totals.done + report.totals.failed, 30);
  for (const image of report.images.filter((i) => i.status === 'failed')) assert.equal(image.errorCode, 'E_INTERRUPTED');
  const files = await filesUnder(out);
  assert.deepEqual(files.filter((f) => f.endsWith('.part')), []);
  const processed = files.filter((f) => f.startsWith('processed/')).sort();
  assert.deepEqual(processed, report.images.filter((i) => i.status === 'done').map((i) => i.processed).sort());
  const last = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { type: string; interrupted: boolean };
  assert.deepEqual([last.type, last.interrupted], ['run-finished', true]);
});

test('analyze: SIGTERM in the middle of a long analysis terminates the worker: exit 130 within 2 s, nothing in processed/', async (t) => {
  // 9 megapixels of noise: thousands of blobs at every threshold, several seconds of analysis
  // (4.5 s on a 2-core machine), so only a terminated worker lets the run end within 2 s.
  const dir = await tempDir(t);
  const noise = join(dir, 'noise.jpg');
  const random = mulberry32(7);
  const side = 3000;
  const pixels = Uint8Array.from({ length: side * side }, () => Math.floor(random() * 256));
  await sharp(pixels, { raw: { width: side, height: side, channels: 1 } }).jpeg().toFile(noise);
  const out = join(dir, 'out');
  const child = execa(process.execPath, [BIN, 'analyze', noise, '-o', out, '--json', '-w', '1'], { cwd: repoRoot, reject: false });
  let sentAt: number | undefined;
  child.stdout!.on('data', (chunk: Buffer) => {
    if (sentAt === undefined && chunk.toString().includes('"analysis-started"')) {
      sentAt = performance.now();
      child.kill('SIGTERM');
    }
  });
  const run = await child;
  const stoppedMs = performance.now() - (sentAt ?? Number.NaN);
  assert.equal(run.exitCode, 130, run.stderr);
  assert.ok(stoppedMs < 2_000, `stopped ${Math.round(stoppedMs)} ms after SIGTERM`);
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
  assert.deepEqual([report.interrupted, report.images.map((i) => [i.status, i.errorCode])], [true, [['failed', 'E_INTERRUPTED']]]);
  assert.deepEqual((await filesUnder(out)).filter((f) => !['report.csv', 'report.json', 'run.jsonl'].includes(f)), []);
});

test('analyze: a second SIGINT quits at once: exit 130 straight away, saying no report was written', async (t) => {
  // In-process, with the signals and the exit injected: two signals sent together reach a real
  // process as one, and a clean stop may finish before a second one would arrive.
  const out = await tempDir(t);
  const signals = new EventEmitter();
  const exits: number[] = [];
  const stderr = new PassThrough();
  const stdout = new PassThrough();
  let sent = false;
  stdout.on('data', (chunk: Buffer) => {
    if (!sent && chunk.toString().includes('"analysis-started"')) {
      sent = true;
      signals.emit('SIGINT');
      signals.emit('SIGINT');
    }
  });
  const errors: string[] = [];
  stderr.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  await main(['analyze', realsky('eso_ngc6752_globular_cluster.png'), '-o', out, '--json', '-w', '1'], {
    stdout,
    stderr,
    signals,
    exit: (code) => exits.push(code),
  });
  assert.equal(sent, true);
  assert.deepEqual(exits, [130]);
  assert.equal(
    errors.join(''),
    'Stopping… (press Ctrl-C again to quit at once)\nstardash: quit at once; no report was written (the same command with --resume continues the run).\n',
  );
});

test('analyze: a report that cannot be written: the summary, then the error on stderr, exit 1, not a crash', async (t) => {
  const out = await tempDir(t);
  await mkdir(join(out, 'report.json'));
  const run = await execa(process.execPath, [BIN, 'analyze', realsky('sdss_galaxy_field.jpg'), '-o', out], { cwd: repoRoot, reject: false });
  assert.equal(run.exitCode, 1);
  assert.equal(
    run.stderr,
    `stardash: Cannot write the report ${join(out, 'report.json')}: a folder is where the file should be (EISDIR): move it, or choose another folder with --out; the annotated images are in ${join(out, 'processed')}, and once the report can be written there the same command with --resume writes it without analysing them again.`,
  );
  const summary = run.stdout.split('\n');
  assert.match(summary.at(-2)!, /^Finished: 1 done, 0 failed, 0 skipped · \d+ stars · /);
  assert.equal(summary.at(-1), `Report: not written (the error follows) · annotated images: ${join(out, 'processed')}`);
  assert.deepEqual(await filesUnder(join(out, 'processed')), ['sdss_galaxy_field.jpg']);
});

test('analyze --json | head -n 1: the reader going away stops the run cleanly (exit 130, report written), no crash', async (t) => {
  const out = await tempDir(t);
  const script = `node ${BIN} analyze ${realskyDir} -o ${out} --json | head -n 1 > /dev/null; exit \${PIPESTATUS[0]}`;
  const run = await execa('bash', ['-c', script], { cwd: repoRoot, reject: false });
  assert.equal(run.exitCode, 130, run.stderr);
  assert.equal(run.stderr, 'Stopping… (press Ctrl-C again to quit at once)');
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as Report;
  assert.equal(report.interrupted, true);
});

test('analyze on the dashboard: a report that cannot be written still leaves the summary, then the error, exit 1', { skip: tmuxSkip, timeout: 60_000 }, async (t) => {
  const out = await tempDir(t);
  await mkdir(join(out, 'report.json'));
  const args = ['analyze', realsky('sdss_galaxy_field.jpg'), '-o', out].map(shellQuote).join(' ');
  const term = await startTmux(`cd ${shellQuote(repoRoot)} && env -u CI node bin/stardash.js ${args}; echo EXIT=$? ; sleep 30`, 100, 30);
  t.after(term.kill);
  await term.waitFor('the exit status', (text) => /EXIT=\d+/.test(text), 30_000);
  const end = await term.history();
  assert.match(end, /✦ stardash analyze finished in .*\n  1 task: 1 done · 0 failed · 0 skipped\n/);
  assert.match(end, /\nReport {5}not written \(the error follows\)\nProcessed {2}.*\/processed\/\nstardash: Cannot write the report [^]*\(EISDIR\)/);
  assert.match(end, /EXIT=1\b/);
});
