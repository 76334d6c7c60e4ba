'use client';

import { useEffect, useState } from 'react';
import { formatUtc } from '@/lib/format';
import { useHydrated } from './use-hydrated';

/** Milliseconds → "2d 03h", "1h 02m", "4m 05s", "12s". */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return `${days}d ${pad(hours)}h`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(seconds)}s`;
  return `${seconds}s`;
}

/**
 * "stops in 1h 02m" ticking every second, then "stopped". The server HTML shows the UTC time instead, so
 * hydration never differs; the UTC time stays on hover.
 */
export function ExpiryCountdown({ at }: { at: string }) {
  const hydrated = useHydrated();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const remaining = Date.parse(at) - now;
  return (
    <time dateTime={at} title={formatUtc(at)} data-testid="expiry-countdown">
      {!hydrated
        ? `stops ${formatUtc(at)}`
        : remaining > 0
          ? `stops in ${formatRemaining(remaining)}`
          : 'stopped'}
    </time>
  );
}
