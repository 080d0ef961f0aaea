import { useContext } from 'react';
import { ThemeContext, type Theme } from '../theme.js';

/** The colours to draw with (all `undefined` under NO_COLOR). */
export function useTheme(): Theme {
  return useContext(ThemeContext);
}
