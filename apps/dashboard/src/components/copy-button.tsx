'use client';

import { useState } from 'react';
import { buttonClass } from '@/components/ui/styles';

/** Copies `text` to the clipboard; says "Copied" once it did. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
        } catch {
          setCopied(false);
        }
      }}
      className={buttonClass('secondary')}
    >
      {copied ? 'Copied' : label}
    </button>
  );
}
