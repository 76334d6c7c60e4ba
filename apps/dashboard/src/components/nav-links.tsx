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

/** `hidden`: pages the signed-in role may not use (the layout decides with the permission table). */
export function NavLinks({ hidden = [] }: { hidden?: readonly string[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-wrap gap-1">
      {links
        .filter((link) => !hidden.includes(link.href))
        .map((link) => {
          const active = pathname === link.href || pathname.startsWith(`${link.href}/`);
          return (
            <Link
              key={link.href}
              href={link.href}
              aria-current={active ? 'page' : undefined}
              className={`rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap ${
                active ? 'bg-slate-900 text-white' : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900'
              }`}
            >
              {link.label}
            </Link>
          );
        })}
    </nav>
  );
}
