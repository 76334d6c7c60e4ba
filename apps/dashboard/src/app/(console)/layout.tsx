import type { ReactNode } from 'react';
import { NavLinks } from '@/components/nav-links';
import { QueryProvider } from '@/components/query-provider';
import { SignOutButton } from '@/components/sign-out-button';
import { requireConsoleActor } from '@/server/console-session';
import { can, type Permission } from '@/server/permissions';

/** Console pages that need more than reading, by the permission they need. */
const PAGE_PERMISSIONS: readonly [string, Permission][] = [
  ['/audit', 'audit.read'],
  ['/users', 'users.manage'],
  ['/tokens', 'tokens.manage'],
];

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const actor = await requireConsoleActor();
  const hidden = PAGE_PERMISSIONS.filter(([, permission]) => !can(actor, permission)).map(([href]) => href);
  return (
    <QueryProvider>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl items-center justify-between gap-6 px-6 py-3">
          <div className="flex items-center gap-6">
            <span className="text-base font-semibold tracking-tight">Switchyard</span>
            <NavLinks hidden={hidden} />
          </div>
          <div className="flex items-center gap-3 text-sm text-slate-600">
            {actor.kind === 'user' && (
              <span data-testid="current-user">
                {actor.email} <span className="text-slate-400">({actor.role})</span>
              </span>
            )}
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-6 py-8">{children}</main>
    </QueryProvider>
  );
}
