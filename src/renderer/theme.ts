import { DEFAULT_THEME, Modal, Notification, createTheme, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

/**
 * Mantine's default shade 6 (used for filled buttons, links, and the text of light/outline badges)
 * fails WCAG AA contrast for several colours. Office staff read these screens all day, so shades 6
 * and 7 are replaced with darker values that pass axe-core's colour-contrast check.
 */
const DARKER: Record<string, string> = {
  blue: '#1864ab',
  green: '#237032',
  yellow: '#7c5800',
  red: '#b02525',
  gray: '#495057',
  teal: '#0b6e50',
  grape: '#7b2a90',
  orange: '#a84300',
  cyan: '#0b7285',
  violet: '#5f3dc4',
  indigo: '#364fc7',
};

const colors = Object.fromEntries(
  Object.entries(DARKER).map(([name, shade]) => {
    const base = DEFAULT_THEME.colors[name]!;
    const tuple = [base[0], base[1], base[2], base[3], base[4], base[5], shade, shade, base[8], base[9]] as unknown as MantineColorsTuple;
    return [name, tuple];
  }),
);

export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  colors,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "SF Mono", Menlo, Consolas, monospace',
  components: {
    // Screen readers announce the dialog's close button by name.
    // The dialog's title bar is a <header>: without a role it reads as a second banner landmark.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' }, attributes: { header: { role: 'presentation' } } as never } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});

/** Mantine's default "dimmed" grey fails contrast on white too. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': '#555d65', '--mantine-color-placeholder': '#6b737b' },
  dark: {},
});
