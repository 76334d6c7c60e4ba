'use client';

import Link from 'next/link';
import { useEffect, useState, useTransition } from 'react';
import { Field, FormAlert, type FormError } from '@/components/ui/field';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { acceptInviteAction } from './actions';

/**
 * The invite secret travels in the link's fragment (`/invite#sy-inv-…`), which the browser never sends to a
 * server; the form reads it here and posts it once, with the chosen password.
 */
export function AcceptInviteForm() {
  const [token, setToken] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<FormError>(null);
  const [accepted, setAccepted] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    setToken(window.location.hash.slice(1));
  }, []);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (password.length < 12) {
      return setError({ message: 'Choose a password of at least 12 characters.', field: 'password' });
    }
    if (password !== confirmation) {
      return setError({ message: 'The two passwords differ.', field: 'confirmation' });
    }
    setError(null);
    startTransition(async () => {
      const result = await acceptInviteAction({ token: token ?? '', password });
      if (!result.ok) return setError(result);
      // The secret is spent: drop it from the address bar and history.
      window.history.replaceState(null, '', '/invite');
      setAccepted(result.email);
    });
  };

  if (accepted) {
    return (
      <div role="status" data-testid="invite-accepted" className="mt-6 space-y-3 text-sm">
        <p>Your password is set for {accepted}.</p>
        <Link
          href="/login"
          className="inline-block rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500"
        >
          Sign in
        </Link>
      </div>
    );
  }
  if (token === '') {
    return (
      <p role="alert" className="mt-6 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
        This page needs the whole invite link, including the part after “#”. Open the link you were sent
        again.
      </p>
    );
  }
  return (
    <form onSubmit={submit} noValidate className="mt-6 space-y-4">
      <Field
        id="invite-password"
        label="New password"
        field="password"
        error={error}
        hint="At least 12 characters."
      >
        <input
          id="invite-password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-invalid={error?.field === 'password'}
          className={inputClass}
        />
      </Field>
      <Field id="invite-confirmation" label="Repeat it" field="confirmation" error={error}>
        <input
          id="invite-confirmation"
          type="password"
          autoComplete="new-password"
          value={confirmation}
          onChange={(event) => setConfirmation(event.target.value)}
          aria-invalid={error?.field === 'confirmation'}
          className={inputClass}
        />
      </Field>
      <FormAlert error={error} fields={['password', 'confirmation']} />
      <button
        type="submit"
        disabled={pending || token === null}
        className={`w-full ${buttonClass('primary')}`}
      >
        {pending ? 'Saving…' : 'Set password'}
      </button>
    </form>
  );
}
