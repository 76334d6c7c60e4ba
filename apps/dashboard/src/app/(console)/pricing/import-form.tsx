'use client';

import { useState } from 'react';
import { DialogActions, useCloseDialog } from '@/components/ui/dialog';
import { inputClass } from '@/components/ui/styles';
import { useToast } from '@/components/ui/toast';
import { useActionForm } from '@/components/ui/use-action-form';
import { type ImportState, importPricesAction } from './actions';

const INITIAL: ImportState = { status: 'idle' };

/**
 * Paste or pick a catalog file (the export format), in a dialog; all or nothing, every issue listed with its JSON
 * path. Once imported, the dialog closes and a toast gives the counts.
 */
export function ImportForm() {
  const close = useCloseDialog();
  const toast = useToast();
  const [catalog, setCatalog] = useState('');
  const { state, pending, formProps } = useActionForm<ImportState>(async (previous, form) => {
    const next = await importPricesAction(previous, form);
    if (next.status === 'imported') {
      toast(`Imported: ${next.created} created, ${next.skippedIdentical} already present (identical).`);
      setCatalog('');
      close();
    }
    return next;
  }, INITIAL);
  return (
    <form {...formProps} className="mt-4 space-y-3" data-testid="import-form">
      <p className="text-sm text-slate-600">
        The export format. All or nothing: entries already present identically are skipped; any problem
        rejects the whole file and lists every issue with its JSON path.
      </p>
      <div>
        <label htmlFor="catalog-file" className="block text-sm font-medium text-slate-700">
          Catalog file (JSON)
        </label>
        <input
          id="catalog-file"
          type="file"
          accept="application/json,.json"
          onChange={async (event) => {
            const file = event.target.files?.[0];
            if (file) setCatalog(await file.text());
          }}
          className="mt-1 block text-sm"
        />
      </div>
      <div>
        <label htmlFor="catalog-text" className="block text-sm font-medium text-slate-700">
          …or paste it
        </label>
        <textarea
          id="catalog-text"
          name="catalog"
          rows={6}
          value={catalog}
          onChange={(event) => setCatalog(event.target.value)}
          placeholder='[{ "provider": "openai", "model": "gpt-4o", "effectiveFrom": "2026-01-01", "input": "2.50", "output": "10.00" }]'
          className={`${inputClass} font-mono text-xs`}
        />
      </div>
      {state.status === 'error' && (
        <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          <p>
            Nothing was imported.{' '}
            {state.issues.length > 0 ? `${state.issues.length} issue(s):` : state.message}
          </p>
          {state.issues.length > 0 && (
            <ul className="mt-1 list-disc pl-5 text-xs" data-testid="import-issues">
              {state.issues.map((issue) => (
                <li key={`${issue.path}:${issue.message}`}>
                  <code className="font-mono">{issue.path}</code> {issue.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <DialogActions
        onCancel={close}
        pending={pending}
        disabled={catalog.trim() === ''}
        submitLabel="Import"
        pendingLabel="Importing…"
      />
    </form>
  );
}
