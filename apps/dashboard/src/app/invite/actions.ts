'use server';

import { actionFailure } from '@/server/action-failure';
import { getAdminContext } from '@/server/admin-context';
import { acceptInvite, acceptInviteInput } from '@/server/users';

export type AcceptInviteResult = { ok: true; email: string } | { ok: false; message: string; field?: string };

/** No session: the invite secret itself is the credential, usable once. */
export async function acceptInviteAction(input: {
  token: string;
  password: string;
}): Promise<AcceptInviteResult> {
  try {
    return { ok: true, ...(await acceptInvite(getAdminContext(), acceptInviteInput.parse(input))) };
  } catch (error) {
    return { ok: false, ...actionFailure(error) };
  }
}
