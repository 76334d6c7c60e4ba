import type { Metadata } from 'next';
import Link from 'next/link';
import { CopyButton } from '@/components/copy-button';
import { Table, type TableColumn } from '@/components/ui/table';
import { getEnv } from '@/env';
import {
  environmentScript,
  environmentVariables,
  onboardingSnippets,
  PROVIDER_BASE_URLS,
  rollbackScript,
  type Snippet,
  type SnippetLanguage,
} from '@/lib/onboarding-snippets';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import { listRoutes } from '@/server/routes';

export const metadata: Metadata = { title: 'Onboarding' };

const VARIABLE_COLUMNS: readonly TableColumn[] = [
  { label: 'Variable' },
  { label: 'Value' },
  { label: 'For' },
];

const LANGUAGES: { id: SnippetLanguage; label: string; note: string }[] = [
  {
    id: 'node',
    label: 'Node',
    note: 'npm install openai @anthropic-ai/sdk @google/genai — ES modules (.mjs)',
  },
  { id: 'python', label: 'Python', note: 'pip install openai anthropic google-genai' },
  { id: 'curl', label: 'curl', note: 'any shell with the variables above exported' },
];

function CodeBlock({ code, testId, copyLabel }: { code: string; testId: string; copyLabel: string }) {
  return (
    <div className="relative min-w-0">
      <pre
        data-testid={testId}
        className="overflow-x-auto rounded-lg bg-slate-900 p-4 pr-24 text-xs leading-relaxed text-slate-100"
      >
        <code>{code}</code>
      </pre>
      <div className="absolute right-2 top-2">
        <CopyButton text={code} label={copyLabel} />
      </div>
    </div>
  );
}

function SnippetCard({ snippet }: { snippet: Snippet }) {
  return (
    <section aria-label={`${snippet.language} ${snippet.title}`} className="min-w-0 space-y-2">
      <h4 className="text-sm font-medium text-slate-700">{snippet.title}</h4>
      <CodeBlock code={snippet.code} testId={`snippet-${snippet.id}`} copyLabel="Copy" />
    </section>
  );
}

export default async function OnboardingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireConsoleActor();
  const params = await searchParams;
  const routerUrl = getEnv().ROUTER_PUBLIC_URL;
  const routes = (await listRoutes(getAdminContext(), actor)).items.filter((route) => route.enabled);
  const asked = typeof params.model === 'string' ? params.model : undefined;
  const model =
    routes.find((route) => route.publicModel === asked)?.publicModel ??
    routes[0]?.publicModel ??
    'your-model';
  const snippets = onboardingSnippets({ routerUrl, model });

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Onboarding</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-600">
          Move an app onto Switchyard by changing two settings: its SDK&apos;s base URL (to this router) and
          its key (to a Switchyard key from the{' '}
          <Link className="text-sky-700 hover:underline" href="/keys">
            Keys
          </Link>{' '}
          page). Nothing else in the code changes, and rolling back is setting them back. Try a key and a
          model first in the{' '}
          <Link className="text-sky-700 hover:underline" href="/playground">
            playground
          </Link>
          .
        </p>
      </div>

      <section
        aria-labelledby="base-url"
        className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
      >
        <h2 id="base-url" className="text-lg font-semibold">
          1. Base URL and environment
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Router base URL:{' '}
          <code data-testid="router-url" className="rounded bg-slate-100 px-1.5 py-0.5">
            {routerUrl}
          </code>{' '}
          (set by <code>ROUTER_PUBLIC_URL</code>). Each SDK reads its own variables, so one key serves every
          family.
        </p>
        <Table columns={VARIABLE_COLUMNS} className="mt-4">
          {environmentVariables(routerUrl).map((variable) => (
            <tr key={variable.name}>
              <td className="px-3 py-2 font-mono text-xs">{variable.name}</td>
              <td className="px-3 py-2 font-mono text-xs">{variable.value}</td>
              <td className="px-3 py-2 text-slate-600">{variable.note}</td>
            </tr>
          ))}
        </Table>
        <div className="mt-4">
          <CodeBlock
            code={environmentScript(routerUrl)}
            testId="environment-script"
            copyLabel="Copy variables"
          />
        </div>
      </section>

      <section
        aria-labelledby="snippets"
        className="space-y-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
      >
        <div className="flex flex-wrap items-baseline justify-between gap-3">
          <h2 id="snippets" className="text-lg font-semibold">
            2. Snippets
          </h2>
          {routes.length > 1 && (
            <form className="flex items-center gap-2 text-sm" method="get">
              <label htmlFor="model" className="text-slate-600">
                Model
              </label>
              <select
                id="model"
                name="model"
                defaultValue={model}
                className="rounded-md border border-slate-300 px-2 py-1 text-sm"
              >
                {routes.map((route) => (
                  <option key={route.id} value={route.publicModel}>
                    {route.publicModel}
                  </option>
                ))}
              </select>
              <button
                type="submit"
                className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-50"
              >
                Show
              </button>
            </form>
          )}
        </div>
        <p className="text-sm text-slate-600">
          For model <code className="rounded bg-slate-100 px-1.5 py-0.5">{model}</code>: chat, streaming and a
          tool call round trip with the OpenAI SDKs, plus the Anthropic Messages and Google GenAI families.
          The Node, Python and curl snippets are run against a real router by the test suite.
        </p>
        {LANGUAGES.map((language) => (
          <div key={language.id} className="space-y-3">
            <h3 className="text-base font-semibold">
              {language.label} <span className="text-xs font-normal text-slate-500">{language.note}</span>
            </h3>
            <div className="grid gap-4 xl:grid-cols-2">
              {snippets
                .filter((snippet) => snippet.language === language.id)
                .map((snippet) => (
                  <SnippetCard key={snippet.id} snippet={snippet} />
                ))}
            </div>
          </div>
        ))}
      </section>

      <section
        aria-labelledby="rollback"
        className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
      >
        <h2 id="rollback" className="text-lg font-semibold">
          3. Roll back
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Point the base URL back at the provider and use the provider&apos;s key again; restart or redeploy
          the app. Unsetting the variable does the same, since every SDK defaults to its provider:{' '}
          {PROVIDER_BASE_URLS.map((entry, index) => (
            <span key={entry.name}>
              {index > 0 && ', '}
              <code className="text-xs">{entry.value}</code>
            </span>
          ))}
          .
        </p>
        <div className="mt-3">
          <CodeBlock code={rollbackScript()} testId="rollback-script" copyLabel="Copy rollback" />
        </div>
      </section>
    </div>
  );
}
