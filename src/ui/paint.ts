/** One styled string from many pieces, for the places where a Text per piece would cost too much. */
import chalk, { type ChalkInstance } from 'chalk';

/** What `<Text>` would be given: a colour name as Ink's `color` takes (a theme's tone), bold, inverse. */
export interface Paint {
  color?: string | undefined;
  bold?: boolean;
  inverse?: boolean;
}

const named = chalk as unknown as Readonly<Record<string, ChalkInstance | undefined>>;

/**
 * `text` styled as `<Text color bold inverse>` would draw it. Ink lays out, measures and styles
 * each Text of a frame, and diffs its props whenever it renders again: a braille preview line of
 * a dense sky is a hundred runs, a task row half a dozen; each is drawn as one string instead.
 */
export function paint(text: string, { color, bold = false, inverse = false }: Paint = {}): string {
  let style = color === undefined ? undefined : named[color];
  if (bold) style = (style ?? chalk).bold;
  if (inverse) style = (style ?? chalk).inverse;
  return style === undefined ? text : style(text);
}
