/** Colours by meaning, and NO_COLOR: components ask for a tone, the theme says which colour (or none). */
import { createContext } from 'react';

export type Tone = 'text' | 'muted' | 'accent' | 'ok' | 'warn' | 'error' | 'info' | 'busy' | 'star' | 'title';

/** Ink/chalk colour names by tone; `undefined` means the terminal's default colour. */
export type Theme = Readonly<Record<Tone, string | undefined>> & { readonly color: boolean };

const COLOURS: Theme = Object.freeze({
  color: true,
  text: undefined,
  muted: 'gray',
  accent: 'cyan',
  ok: 'green',
  warn: 'yellow',
  error: 'red',
  info: 'blue',
  busy: 'magenta',
  star: 'yellowBright',
  title: 'whiteBright',
});

const PLAIN: Theme = Object.freeze({
  color: false,
  text: undefined,
  muted: undefined,
  accent: undefined,
  ok: undefined,
  warn: undefined,
  error: undefined,
  info: undefined,
  busy: undefined,
  star: undefined,
  title: undefined,
});

export function themeFor(color: boolean): Theme {
  return color ? COLOURS : PLAIN;
}

/** https://no-color.org: a NO_COLOR that is set and not empty turns colour off. */
export function colorEnabled(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return !env['NO_COLOR'];
}

export const ThemeContext = createContext<Theme>(COLOURS);
