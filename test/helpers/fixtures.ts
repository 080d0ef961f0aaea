import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: compiled tests run from dist/test/helpers/, three levels down. */
export const repoRoot: string = fileURLToPath(new URL('../../../', import.meta.url));

/** The real sky images (and their OpenCV reference) kept in the source tree. */
export const realskyDir: string = join(repoRoot, 'test', 'fixtures', 'images');

/** The path of one real sky image, for example `realsky('sdss_galaxy_field.jpg')`. */
export function realsky(name: string): string {
  return join(realskyDir, name);
}

/** The part of a test context that tempDir needs (node:test's TestContext has it). */
export interface Cleanup {
  after(fn: () => Promise<void>): void;
}

/** A fresh folder under the OS temp folder, removed with everything in it when `t` ends. */
export async function tempDir(t: Cleanup, prefix = 'stardash-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Every file under `dir` (recursively), as paths relative to it, sorted: to see what a run left. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath ?? entry.path, entry.name)))
    .sort();
}

/**
 * A PNG that is only a header: signature, an IHDR chunk claiming `width`×`height` 8-bit RGB pixels,
 * an IDAT holding an empty zlib stream (libspng, in sharp, refuses IEND straight after IHDR), and
 * IEND. Decoders read the size from it, so a "30000×30000 PNG" costs 68 bytes; its pixels are missing.
 */
export function pngHeader(width: number, height: number): Buffer {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  // compression, filter and interlace methods stay 0
  return Buffer.concat([signature, pngChunk('IHDR', ihdr), pngChunk('IDAT', EMPTY_ZLIB), pngChunk('IEND', Buffer.alloc(0))]);
}

/** zlib header, one final stored block of 0 bytes, Adler-32 of nothing (1). */
const EMPTY_ZLIB = Buffer.from([0x78, 0x01, 0x01, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01]);

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData), 0);
  return Buffer.concat([length, typeAndData, crc]);
}

/** CRC-32 (ISO-HDLC, the one PNG and zip use), so that the helper runs on any Node 20. */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const CRC_TABLE: readonly number[] = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
