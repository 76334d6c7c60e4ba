'use client';

import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

type Toast = { id: number; message: string; tone: 'success' | 'error' };

const ToastContext = createContext<(message: string, tone?: Toast['tone']) => void>(() => {});

/** How long a toast stays; long enough to read two short sentences. */
const TOAST_MS = 6_000;

/**
 * Short confirmations of what just happened ("Key revoked."), announced to screen readers through a polite live
 * region and gone after a few seconds. Errors stay next to the field or button they concern; a toast only adds.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const show = useCallback((message: string, tone: Toast['tone'] = 'success') => {
    const id = Date.now() + Math.random();
    setToasts((current) => [...current.slice(-2), { id, message, tone }]);
    setTimeout(() => setToasts((current) => current.filter((toast) => toast.id !== id)), TOAST_MS);
  }, []);
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      {/* A labelled live region, not role="status": pages have their own status lines ("Saved."). */}
      <section
        aria-label="Notifications"
        aria-live="polite"
        data-testid="toasts"
        className="pointer-events-none fixed inset-x-4 bottom-4 z-50 flex flex-col items-end gap-2 sm:left-auto"
      >
        {toasts.map((toast) => (
          <p
            key={toast.id}
            data-testid="toast"
            className={`pointer-events-auto max-w-sm rounded-lg px-4 py-2 text-sm shadow-lg ring-1 ${
              toast.tone === 'success'
                ? 'bg-white text-slate-900 ring-slate-200'
                : 'bg-red-50 text-red-800 ring-red-200'
            }`}
          >
            {toast.message}
          </p>
        ))}
      </section>
    </ToastContext.Provider>
  );
}

/** `toast("Key revoked.")`; a no-op outside a {@link ToastProvider}. */
export function useToast(): (message: string, tone?: Toast['tone']) => void {
  return useContext(ToastContext);
}
