/**
 * Text from outside (a URL's file name, an APOD title, a file name on disk, a server's words) made
 * safe to show on a terminal. Control characters would be obeyed, not shown: ESC starts sequences
 * that retitle, clear or reset the terminal, BEL rings, CR overwrites; bidirectional overrides
 * reverse what follows (`rlo\u202Egpj.exe` shows as `rloexe.jpg`).
 */

// eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with each C0 control character and DEL shown as its Unicode control picture (ESC as ␛,
 * BEL as ␇, a line feed as ␊), and C1 controls and bidirectional marks as U+FFFD: one column
 * each, so widths and alignment hold. Text without them is returned as it is.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return code === 0x7f ? '\u2421' : '\uFFFD';
  });
}
