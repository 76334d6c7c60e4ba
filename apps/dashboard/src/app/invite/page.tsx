import type { Metadata } from 'next';
import { AcceptInviteForm } from './accept-invite-form';

export const metadata: Metadata = { title: 'Accept invite' };

/** Where a one-time invite link lands: the invited user chooses their password (no session needed). */
export default function InvitePage() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold">Join Switchyard</h1>
        <p className="mt-1 text-sm text-slate-600">Choose the password for your console account.</p>
        <AcceptInviteForm />
      </div>
    </main>
  );
}
