/** One styled string from many pieces, for the places where a Text per piece would cost too much. */
import chalk, { type ChalkInstance } from 'chalk';

const named = chalk as unknown as Readonly<Record<string, ChalkInstance | undefined>>;

/**
 * `text` in a theme colour (a chalk colour name, as Ink's `color` takes) and bold if asked, as
 * `<Text color bold>` would draw it. Ink lays out, measures and styles each Text of a frame: a
 * braille preview line of a dense sky is a hundred runs, one string instead of a hundred Texts.
 */
export function paint(text: string, color: string | undefined, bold = false): string {
  let style = color === undefined ? undefined : named[color];
  if (bold) style = (style ?? chalk).bold;
  return style === undefined ? text : style(text);
}
