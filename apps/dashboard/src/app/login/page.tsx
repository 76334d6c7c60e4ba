import type { Metadata } from 'next';
import { getEnv, oidcSettings } from '@/env';
import { safeCallbackUrl } from '@/lib/safe-callback-url';
import { LoginForm } from './login-form';
import { OidcSignInButton } from './oidc-sign-in-button';

export const metadata: Metadata = { title: 'Sign in' };

/** next-auth redirects here with ?error=<code> when a non-JavaScript sign-in fails. */
function signInErrorMessage(code: string): string {
  if (code === 'CredentialsSignin') return 'Invalid email or password.';
  if (code === 'Throttled') return 'Too many failed sign-ins. Wait a little and try again.';
  if (code === 'AccessDenied') {
    return 'Single sign-on worked, but no console user has that e-mail (or the issuer has not verified it). Ask an owner to add you.';
  }
  if (code === 'AccountDisabled') {
    return 'Your console account is disabled. Ask an owner or admin to enable it again.';
  }
  if (code === 'InviteExpired') {
    return 'Your invite to the console has expired. Ask an owner or admin for a new one.';
  }
  return 'Sign-in failed. Try again.';
}

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const oidc = oidcSettings(getEnv());
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold">Sign in to Switchyard</h1>
        <p className="mt-1 text-sm text-slate-600">Use your console account.</p>
        <LoginForm
          // Only paths of this console are followed after sign-in, so the page cannot be an open redirect.
          callbackUrl={callbackUrl}
          initialError={params.error === undefined ? null : signInErrorMessage(String(params.error))}
        />
        {oidc && (
          <div className="mt-6 space-y-3">
            <div className="flex items-center gap-3 text-xs uppercase text-slate-400">
              <span className="h-px flex-1 bg-slate-200" />
              or
              <span className="h-px flex-1 bg-slate-200" />
            </div>
            <OidcSignInButton name={oidc.name} callbackUrl={callbackUrl} />
          </div>
        )}
      </div>
    </main>
  );
}
