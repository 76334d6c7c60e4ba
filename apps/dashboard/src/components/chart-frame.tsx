'use client';

import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

/** A chart's box: its size, an image role named for screen readers, and a container recharts fills. */
export function ChartFrame({
  testId,
  label,
  className,
  children,
}: {
  testId: string;
  /** What the chart shows, read out in place of the drawing. */
  label: string;
  /** Must give the box a height: recharts sizes the chart to it. */
  className: string;
  children: ReactElement;
}) {
  return (
    <div className={`${className} text-slate-500`} data-testid={testId} role="img" aria-label={label}>
      <ResponsiveContainer width="100%" height="100%">
        {children}
      </ResponsiveContainer>
    </div>
  );
}
