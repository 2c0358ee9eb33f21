import type { Theme } from '@creator-hub/shared/api/index';

/** Applies light/dark to the document; 'system' follows the OS setting. */
export function applyTheme(theme: Theme): void {
  const dark =
    theme === 'dark' ||
    (theme === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}
