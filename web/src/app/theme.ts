import { createTheme } from '@mantine/core';

/** One calm palette: teal for the brand and primary actions; status colours carry meaning only. */
export const theme = createTheme({
  primaryColor: 'teal',
  primaryShade: 9,
  defaultRadius: 'md',
  fontFamily:
    'Inter, -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
  components: {
    Card: { defaultProps: { withBorder: true, shadow: 'xs', padding: 'lg' } },
    Badge: { defaultProps: { radius: 'sm' } },
  },
});
