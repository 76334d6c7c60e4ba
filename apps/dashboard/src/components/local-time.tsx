'use client';

import { formatUtc } from '@/lib/format';
import { useHydrated } from './use-hydrated';

/**
 * An instant in the browser's time zone, with UTC on hover. The server HTML shows UTC (it does not know the
 * reader's zone), so hydration never differs; the local form replaces it once React runs.
 */
export function LocalTime({ iso }: { iso: string }) {
  const hydrated = useHydrated();
  const utc = formatUtc(iso);
  const text = hydrated
    ? new Date(iso).toLocaleString(undefined, {
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        timeZoneName: 'short',
      })
    : utc;
  return (
    <time dateTime={iso} title={utc}>
      {text}
    </time>
  );
}
