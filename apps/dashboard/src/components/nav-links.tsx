'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const links = [
  { href: '/overview', label: 'Overview' },
  { href: '/keys', label: 'Keys' },
  { href: '/teams', label: 'Teams' },
  { href: '/providers', label: 'Providers' },
  { href: '/routes', label: 'Routes' },
  { href: '/health', label: 'Health' },
  { href: '/usage', label: 'Usage' },
  { href: '/requests', label: 'Requests' },
  { href: '/dead-letters', label: 'Dead letters' },
  { href: '/cost', label: 'Cost' },
  { href: '/budgets', label: 'Budgets' },
  { href: '/pricing', label: 'Pricing' },
  { href: '/audit', label: 'Audit log' },
  { href: '/playground', label: 'Playground' },
  { href: '/onboarding', label: 'Onboarding' },
  { href: '/users', label: 'Users' },
  { href: '/tokens', label: 'API tokens' },
] as const;

/** Every console page, in the order the sidebar and the mobile menu list them. */
export const NAV_LINKS: readonly { href: string; label: string }[] = links;

/**
 * The console's page list, one link a line. `hidden`: pages the signed-in role may not use (the layout decides with
 * the permission table); `onNavigate` lets the mobile menu close itself.
 */
export function NavLinks({
  hidden = [],
  onNavigate,
}: {
  hidden?: readonly string[];
  onNavigate?: () => void;
}) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main">
      <ul className="space-y-0.5">
        {NAV_LINKS.filter((link) => !hidden.includes(link.href)).map((link) => {
          const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
          return (
            <li key={link.href}>
              <Link
                href={link.href}
                onClick={onNavigate}
                aria-current={active ? 'page' : undefined}
                className={`block rounded-md px-3 py-2 text-sm font-medium md:py-1.5 ${
                  active
                    ? 'bg-slate-900 text-white dark:bg-indigo-600'
                    : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900'
                }`}
              >
                {link.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
