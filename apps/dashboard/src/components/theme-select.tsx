'use client';

import { useEffect, useState } from 'react';
import { applyTheme, THEME_STORAGE_KEY, type ThemeChoice } from './theme';
import { useHydrated } from './use-hydrated';

function storedChoice(): ThemeChoice {
  const value = window.localStorage.getItem(THEME_STORAGE_KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** System / light / dark. The choice is kept in this browser; "system" follows the OS, also when it changes. */
export function ThemeSelect() {
  const hydrated = useHydrated();
  const [choice, setChoice] = useState<ThemeChoice>('system');

  useEffect(() => setChoice(storedChoice()), []);

  useEffect(() => {
    if (choice !== 'system') return;
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const follow = () => applyTheme('system');
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, [choice]);

  const choose = (next: ThemeChoice) => {
    setChoice(next);
    if (next === 'system') window.localStorage.removeItem(THEME_STORAGE_KEY);
    else window.localStorage.setItem(THEME_STORAGE_KEY, next);
    applyTheme(next);
  };

  return (
    <select
      aria-label="Theme"
      value={choice}
      disabled={!hydrated}
      onChange={(event) => choose(event.target.value as ThemeChoice)}
      className="rounded-md border border-slate-300 bg-white py-1 pr-7 pl-2 text-sm text-slate-700"
    >
      <option value="system">System</option>
      <option value="light">Light</option>
      <option value="dark">Dark</option>
    </select>
  );
}
