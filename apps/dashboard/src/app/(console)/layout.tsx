import type { ReactNode } from 'react';
import { MobileNav } from '@/components/mobile-nav';
import { NavLinks } from '@/components/nav-links';
import { QueryProvider } from '@/components/query-provider';
import { SignOutButton } from '@/components/sign-out-button';
import { ThemeSelect } from '@/components/theme-select';
import { ToastProvider } from '@/components/ui/toast';
import { requireConsoleActor } from '@/server/console-session';
import { can, type Permission } from '@/server/permissions';

/** Console pages that need more than reading, by the permission they need. */
const PAGE_PERMISSIONS: readonly [string, Permission][] = [
  ['/audit', 'audit.read'],
  ['/users', 'users.manage'],
  ['/tokens', 'tokens.manage'],
];

/**
 * A sidebar with the page list from 768 px up; below that a header with a menu button (the list no longer fits
 * across a phone). The content column may shrink (`min-w-0`), so a wide table scrolls inside its card instead of
 * widening the page.
 */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const actor = await requireConsoleActor();
  const hidden = PAGE_PERMISSIONS.filter(([, permission]) => !can(actor, permission)).map(([href]) => href);
  return (
    <QueryProvider>
      <ToastProvider>
        <div className="min-h-screen md:flex">
          <aside className="hidden w-52 shrink-0 border-r border-slate-200 bg-white md:block">
            <div className="sticky top-0 max-h-screen overflow-y-auto px-3 py-4">
              <p className="px-3 pb-4 text-base font-semibold tracking-tight">Switchyard</p>
              <NavLinks hidden={hidden} />
            </div>
          </aside>
          <div className="min-w-0 flex-1">
            <header className="sticky top-0 z-30 border-b border-slate-200 bg-white">
              <div className="flex items-center justify-between gap-3 px-4 py-2.5 sm:px-6">
                <div className="flex min-w-0 items-center gap-2">
                  <MobileNav hidden={hidden} />
                  <span className="hidden text-base font-semibold tracking-tight sm:inline md:hidden">
                    Switchyard
                  </span>
                </div>
                <div className="flex min-w-0 items-center gap-2 text-sm text-slate-600 sm:gap-3">
                  {actor.kind === 'user' && (
                    <span data-testid="current-user" className="hidden truncate sm:inline">
                      {actor.email} <span className="text-slate-400">({actor.role})</span>
                    </span>
                  )}
                  <ThemeSelect />
                  <SignOutButton />
                </div>
              </div>
            </header>
            <main className="mx-auto w-full max-w-7xl px-4 py-6 sm:px-6 lg:py-8">{children}</main>
          </div>
        </div>
      </ToastProvider>
    </QueryProvider>
  );
}
