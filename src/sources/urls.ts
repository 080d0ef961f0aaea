import { readFile } from 'node:fs/promises';
import { text as readAll } from 'node:stream/consumers';
import type { RemoteImage, RemoteListing, SkippedEntry } from './remote.js';
import { redactUrl } from '../secrets.js';

/** A URL list that cannot be read: code E_USAGE, since the user named it (exit status 2). */
export class UrlListError extends Error {
  override readonly name = 'UrlListError';
  readonly code = 'E_USAGE';
}

/**
 * The images a URL list names: one URL a line; blank lines and `#` comments (whole lines, or after
 * whitespace at the end of a line) are ignored. Lines that are not one http(s) URL, and repeats of
 * an earlier URL, are skipped with a reason naming the line. Ids are `line-N` (N counts from 1).
 */
export function parseUrlList(text: string): RemoteListing {
  const images: RemoteImage[] = [];
  const skipped: SkippedEntry[] = [];
  const firstLine = new Map<string, number>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const n = index + 1;
    // A `#` starts a comment at the start of a line or after whitespace; elsewhere it is a URL's fragment.
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    const id = `line-${n}`;
    const skip = (reason: string): void => void skipped.push({ id, name: redactUrl(line), reason: `line ${n}: ${reason}` });
    if (/\s/.test(line)) return skip('expected one URL, but the line has spaces in it');
    let url: URL;
    try {
      url = new URL(line);
    } catch {
      return skip('not a URL (write it in full, like https://example.com/sky.jpg)');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return skip(`only http and https URLs can be downloaded, not ${url.protocol.slice(0, -1)}`);
    }
    const earlier = firstLine.get(url.href);
    if (earlier !== undefined) return skip(`duplicate of line ${earlier}`);
    firstLine.set(url.href, n);
    images.push({ id, name: fileName(url), url: url.href });
  });
  return { images, skipped };
}

/** Reads and parses a URL list from `file`, or from `stdin` when `file` is `-`. */
export async function readUrlList(
  file: string,
  stdin: AsyncIterable<string | Uint8Array> = process.stdin,
): Promise<RemoteListing> {
  if (file === '-') return parseUrlList(await readAll(stdin));
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (cause) {
    throw new UrlListError(unreadable(file, cause), { cause });
  }
  return parseUrlList(content);
}

/** The URL's last path segment, decoded (`/a/M31%20core.jpg` → `M31 core.jpg`), or its host. */
function fileName(url: URL): string {
  const segment = url.pathname.split('/').filter((s) => s !== '').pop();
  if (segment === undefined) return url.host;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // Malformed percent-escapes: show it as written.
  }
}

function unreadable(file: string, cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `The URL list ${file} does not exist. Check the path, or pass - to read the list from stdin.`;
  if (code === 'EISDIR') return `The URL list ${file} is a folder; give a text file with one URL a line.`;
  if (code === 'EACCES' || code === 'EPERM') return `Cannot read the URL list ${file}: permission denied.`;
  return `Cannot read the URL list ${file}: ${code ?? String(cause)}.`;
}
