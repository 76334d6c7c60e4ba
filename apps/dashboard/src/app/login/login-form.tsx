'use client';

import { signIn } from 'next-auth/react';
import { type FormEvent, useState } from 'react';
import { buttonClass, inputClass } from '@/components/ui/styles';

export function LoginForm({
  callbackUrl,
  initialError,
}: {
  callbackUrl: string;
  initialError: string | null;
}) {
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn('credentials', {
      redirect: false,
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    });
    if (result?.ok && !result.error) {
      // A full navigation so every server component renders with the new session cookie.
      window.location.assign(callbackUrl);
      return;
    }
    setPending(false);
    setError(
      result?.status === 429 || result?.error === 'Throttled'
        ? 'Too many failed sign-ins. Wait a little and try again.'
        : result?.error === 'CredentialsSignin'
          ? 'Invalid email or password.'
          : 'Sign-in failed. Try again.',
    );
  }

  return (
    <form onSubmit={onSubmit} className="mt-6 space-y-4" noValidate>
      <div>
        <label htmlFor="email" className="block text-sm font-medium text-slate-700">
          Email
        </label>
        <input id="email" name="email" type="email" autoComplete="username" required className={inputClass} />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium text-slate-700">
          Password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className={inputClass}
        />
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <button type="submit" disabled={pending} className={`w-full ${buttonClass('primary')}`}>
        {pending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
