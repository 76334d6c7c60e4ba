'use client';

import { useState, useTransition } from 'react';
import { buttonClass } from '@/components/ui/styles';
import type { ConnectionTestResult } from '@/server/connection-test/test-account-connection';
import { testConnectionAction } from '../actions';

/** "Test connection": lists models upstream with the account's stored credential and shows what came back. */
export function TestConnectionButton({ accountId, name }: { accountId: string; name: string }) {
  const [result, setResult] = useState<ConnectionTestResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const run = () =>
    startTransition(async () => {
      const outcome = await testConnectionAction(accountId);
      if (outcome.ok) {
        setResult(outcome.result);
        setFailure(null);
      } else {
        setResult(null);
        setFailure(outcome.message);
      }
    });
  return (
    <div className="min-w-0">
      <button
        type="button"
        onClick={run}
        disabled={pending}
        aria-label={`Test connection of ${name}`}
        className={buttonClass('secondary', 'sm')}
      >
        {pending ? 'Testing…' : 'Test connection'}
      </button>
      {failure && (
        <p role="alert" className="mt-2 text-xs text-red-700">
          {failure}
        </p>
      )}
      {result && (
        <div
          role="status"
          data-testid="connection-test-result"
          className={`mt-2 rounded-md px-3 py-2 text-xs whitespace-normal ${result.ok ? 'bg-emerald-50 text-emerald-900' : 'bg-red-50 text-red-800'}`}
        >
          <p className="font-medium">
            {result.ok ? 'Connected' : 'Failed'}
            {result.status !== null && ` · HTTP ${result.status}`} · {result.latencyMs} ms
          </p>
          {result.error && <p className="mt-1">{result.error}</p>}
          {result.ok && (
            <div className="mt-1">
              <p>
                {result.modelCount} model{result.modelCount === 1 ? '' : 's'} visible
                {result.models.length < result.modelCount ? ` (first ${result.models.length} shown)` : ''}:
              </p>
              <ul data-testid="connection-test-models" className="mt-1 max-h-40 overflow-y-auto font-mono">
                {result.models.map((model) => (
                  <li key={model}>{model}</li>
                ))}
              </ul>
            </div>
          )}
          <p className="mt-1 truncate text-slate-500" title={result.url}>
            GET {result.url}
          </p>
        </div>
      )}
    </div>
  );
}
