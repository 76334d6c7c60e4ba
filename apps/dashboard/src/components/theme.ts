/** Where the console keeps the reader's theme choice; absent means "follow the operating system". */
export const THEME_STORAGE_KEY = 'switchyard-theme';

export type ThemeChoice = 'system' | 'light' | 'dark';

/**
 * Runs in `<head>` before the first paint, so a dark page never flashes light: reads the stored choice (or the
 * OS preference) and sets the `dark` class and `color-scheme` on `<html>`. Plain ES5 in a string because it runs
 * before React and any bundle.
 */
export const THEME_BOOT_SCRIPT = `(function(){try{var c=localStorage.getItem('${THEME_STORAGE_KEY}');var d=c==='dark'||(c!=='light'&&window.matchMedia('(prefers-color-scheme: dark)').matches);var e=document.documentElement;e.classList.toggle('dark',d);e.style.colorScheme=d?'dark':'light';}catch(x){}})();`;

/** Puts `choice` into effect on the page (the same as the boot script does on load). */
export function applyTheme(choice: ThemeChoice): void {
  const dark =
    choice === 'dark' || (choice === 'system' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  const root = document.documentElement;
  root.classList.toggle('dark', dark);
  root.style.colorScheme = dark ? 'dark' : 'light';
}
