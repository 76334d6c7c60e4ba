'use client';

import { signIn } from 'next-auth/react';
import { useState } from 'react';

/** Starts the OIDC authorization code flow; the issuer sends the browser back to /api/auth/callback/oidc. */
export function OidcSignInButton({ name, callbackUrl }: { name: string; callbackUrl: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() => {
        setPending(true);
        void signIn('oidc', { callbackUrl });
      }}
      className="w-full rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:opacity-60"
    >
      {pending ? 'Redirecting…' : `Sign in with ${name}`}
    </button>
  );
}
