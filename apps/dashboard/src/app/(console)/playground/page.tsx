import type { Metadata } from 'next';
import Link from 'next/link';
import { canWrite } from '@/server/actor';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import { listKeys } from '@/server/keys';
import { PLAYGROUND_KEY_TTL_SECONDS, PLAYGROUND_TAG } from '@/server/playground-session';
import { listRoutes } from '@/server/routes';
import { PlaygroundRunner } from './playground-runner';

export const metadata: Metadata = { title: 'Playground' };

export default async function PlaygroundPage() {
  const actor = await requireConsoleActor();
  const ctx = getAdminContext();
  const [keys, routes] = await Promise.all([
    listKeys(ctx, actor, { status: 'active', limit: 100 }),
    listRoutes(ctx, actor),
  ]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Playground</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          The onboarding runbook&apos;s four smoke tests against the router, in the browser: chat, streaming,
          a tool call round trip and a bad model. Each result links to its row in the request explorer. The
          same calls from your own code are on the{' '}
          <Link href="/onboarding" className="text-sky-700 hover:underline">
            onboarding
          </Link>{' '}
          page.
        </p>
        <details className="mt-3 max-w-3xl rounded-lg border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700">
          <summary className="cursor-pointer font-medium">Which key does the playground use?</summary>
          <p className="mt-2">
            Never one you paste. Switchyard keeps only digests of keys, and pasting a production key into a
            web page puts it in the browser, the clipboard and screenshots. Instead each run mints its own key
            (tagged <code>{PLAYGROUND_TAG}</code>, copying the models, traffic classes and team of the key you
            pick), valid for {PLAYGROUND_KEY_TTL_SECONDS / 60} minutes at most, and revokes it as soon as the
            four tests finish. Its plaintext never reaches this page: the browser holds it only sealed
            (encrypted with the console&apos;s secret, bound to you), and the dashboard server makes the calls
            to the router. Minting and revoking are audited like any key change, and the run&apos;s usage and
            cost are recorded under that key.
          </p>
        </details>
      </div>
      <PlaygroundRunner
        keys={keys.items
          .filter((key) => !key.tags.includes(PLAYGROUND_TAG))
          .map((key) => ({ id: key.id, name: key.name, prefix: key.prefix }))}
        models={routes.items.filter((route) => route.enabled).map((route) => route.publicModel)}
        canWrite={canWrite(actor)}
      />
    </div>
  );
}
