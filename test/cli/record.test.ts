import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { execa } from 'execa';
import { CastRecorder, RecordError, castEventLine, startRecording, terminalBytes } from '../../src/cli/record.js';
import { repoRoot, tempDir } from '../helpers/fixtures.js';
import { parseCast } from '../helpers/asciicast.js';

/** A clock that reads the next value each time. */
function clockOf(...readings: number[]): () => number {
  return () => {
    const next = readings.shift();
    assert.ok(next !== undefined, 'the clock was read more often than expected');
    return next;
  };
}

const options = { width: 120, height: 36, wallClock: () => 1_795_000_000_999, env: { TERM: 'xterm-256color', SHELL: '/bin/bash', HOME: '/root' } };

test('the cast: a header with the size, then output and resize events timed from the start, LF as the terminal sends it', async (t) => {
  const file = join(await tempDir(t), 'run.cast');
  const recorder = new CastRecorder(file, { ...options, clock: clockOf(1000, 1250.5, 2000, 2000.0004, 3500) });
  recorder.output('\u001b[1m✦ stardash\u001b[22m\nline two\r\n');
  recorder.output(Buffer.from('cpu0 ███'));
  recorder.resize(100, 30);
  recorder.output('bye\n');
  recorder.close();
  assert.equal(
    await readFile(file, 'utf8'),
    [
      '{"version":2,"width":120,"height":36,"timestamp":1795000000,"env":{"TERM":"xterm-256color","SHELL":"/bin/bash"}}',
      '[0.2505,"o","\\u001b[1m✦ stardash\\u001b[22m\\r\\nline two\\r\\n"]',
      '[1,"o","cpu0 ███"]',
      '[1,"r","100x30"]',
      '[2.5,"o","bye\\r\\n"]',
      '',
    ].join('\n'),
  );
});

test('times never go backwards, and bytes split inside a character are joined before they are recorded', async (t) => {
  const file = join(await tempDir(t), 'run.cast');
  const recorder = new CastRecorder(file, { ...options, clock: clockOf(0, 500, 400, 600) });
  const star = Buffer.from('✦');
  recorder.output(star.subarray(0, 1));
  recorder.output(star.subarray(1));
  recorder.output('a');
  recorder.output('b');
  recorder.close();
  const { events } = parseCast(await readFile(file, 'utf8'));
  assert.deepEqual(events, [[0.5, 'o', '✦'], [0.5, 'o', 'a'], [0.6, 'o', 'b']]);
});

test('the file is FILE.part while recording and takes its name on close; closing twice is harmless', async (t) => {
  const dir = await tempDir(t);
  const recorder = new CastRecorder(join(dir, 'run.cast'), { ...options, clock: clockOf(0, 1) });
  recorder.output('x');
  assert.deepEqual(await readdir(dir), ['run.cast.part']);
  recorder.close();
  recorder.close();
  recorder.output('after the end is not recorded');
  assert.deepEqual(await readdir(dir), ['run.cast']);
  assert.equal(parseCast(await readFile(join(dir, 'run.cast'), 'utf8')).output, 'x');
});

test('a file that cannot be created is E_RECORD_FILE, naming it and saying what to do', async (t) => {
  const file = join(await tempDir(t), 'no-such-folder', 'run.cast');
  assert.throws(() => new CastRecorder(file, options), (error: unknown) => {
    assert.ok(error instanceof RecordError);
    assert.equal(error.code, 'E_RECORD_FILE');
    assert.equal(error.message, `cannot write the recording ${file}.part (ENOENT): give --record a file in a folder that exists and can be written.`);
    return true;
  });
});

test('castEventLine and terminalBytes', () => {
  assert.equal(castEventLine(1.23456789, 'o', '"\u001b'), '[1.234568,"o","\\"\\u001b"]');
  assert.equal(terminalBytes('a\nb\r\nc\n\n'), 'a\r\nb\r\nc\r\n\r\n');
});

/** A terminal as Ink sees one: isTTY, a size, 'resize' events; what is written is kept. */
class FakeTerminal extends Writable {
  readonly isTTY = true;
  columns = 90;
  rows = 20;
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

test('startRecording: writes reach the terminal and the cast; the size and resizes are the terminal\'s', async (t) => {
  const file = join(await tempDir(t), 'run.cast');
  const stdout = new FakeTerminal();
  const stderr = new FakeTerminal();
  const recording = startRecording(file, { stdout, stderr }, { clock: clockOf(0, 100, 200, 300), wallClock: () => 0, env: {} });
  const { io } = recording;
  assert.equal(io.stdout.isTTY, true);
  assert.equal(io.stdout.columns, 90);
  io.stdout.write('frame\n');
  stdout.columns = 100;
  stdout.emit('resize');
  assert.equal(io.stdout.columns, 100, 'the size is read live from the terminal');
  io.stderr.write('Stopping…\n');
  recording.close();
  stdout.emit('resize');
  assert.equal(stdout.text, 'frame\n', 'the terminal gets the bytes unchanged');
  assert.equal(stderr.text, 'Stopping…\n');
  assert.equal(
    await readFile(file, 'utf8'),
    '{"version":2,"width":90,"height":20,"timestamp":0,"env":{}}\n[0.1,"o","frame\\r\\n"]\n[0.2,"r","100x20"]\n[0.3,"o","Stopping…\\r\\n"]\n',
  );
});

test('--record needs a terminal: with stdout a pipe it is a usage error (exit 2) and nothing is written', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'run.cast');
  // An --out that is not there, and one with an earlier run's journal (a --resume needs it as it is).
  const kept = join(dir, 'kept');
  await mkdir(kept);
  await writeFile(join(kept, 'run.jsonl'), '{"type":"run"}\n');
  for (const out of [join(dir, 'out'), kept]) {
    const run = await execa(process.execPath, [join(repoRoot, 'bin', 'stardash.js'), 'demo', '--count', '1', '-o', out, '--record', file], { reject: false });
    assert.equal(run.exitCode, 2);
    assert.equal(run.stdout, '');
    assert.equal(
      run.stderr,
      'stardash: --record needs a terminal, and stdout is not one (a pipe or a file already holds everything stardash writes): run it on a terminal, or leave --record out.',
    );
  }
  assert.deepEqual(await readdir(dir), ['kept']);
  assert.deepEqual(await readdir(kept), ['run.jsonl']);
  assert.equal(await readFile(join(kept, 'run.jsonl'), 'utf8'), '{"type":"run"}\n');
});
