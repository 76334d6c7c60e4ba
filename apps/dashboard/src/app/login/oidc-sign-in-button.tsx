'use client';

import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { buttonClass } from '@/components/ui/styles';

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
      className={`w-full ${buttonClass('secondary')}`}
    >
      {pending ? 'Redirecting…' : `Sign in with ${name}`}
    </button>
  );
}
