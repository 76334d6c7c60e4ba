'use client';

import Link from 'next/link';
import { useState } from 'react';
import { LocalTime } from '@/components/local-time';
import { StatusBadge } from '@/components/ui/badge';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { Table, type TableColumn } from '@/components/ui/table';
import { formatInteger, formatMicrosUsd, formatMs } from '@/lib/format';
import {
  metadataFromHeaders,
  type RouterCallMetadata,
  type SmokeTest,
  type SmokeTestResult,
} from '@/server/playground-smoke-tests';
import {
  endPlaygroundAction,
  type PlaygroundUsage,
  playgroundUsageAction,
  startPlaygroundAction,
} from './actions';

const TESTS: { id: SmokeTest; title: string; expect: string }[] = [
  { id: 'chat', title: 'Chat', expect: 'a reply' },
  { id: 'stream', title: 'Streaming', expect: 'chunks as they arrive, time to first token' },
  { id: 'tools', title: 'Tools', expect: 'a tool call, its result sent back, the final reply' },
  { id: 'bad-model', title: 'Bad model', expect: 'a clean 404 model_not_found with the request id' },
];

interface TestState {
  phase: 'running' | 'done';
  passed: boolean;
  calls: RouterCallMetadata[];
  output: string;
  chunks?: string[];
  /** Browser-measured: from sending the request to the first content chunk. */
  ttftMs?: number;
  error?: { status: number; code: string | null; message: string } | null;
}

type RunPhase =
  | { kind: 'idle' }
  | { kind: 'minting' }
  | { kind: 'running'; keyId: string; keyPrefix: string; expiresAt: string }
  | { kind: 'finished'; keyId: string; keyPrefix: string; revoked: boolean; message: string | null }
  | { kind: 'failed'; message: string };

const ERROR_SHAPE = (value: unknown): string | null => {
  if (typeof value !== 'object' || value === null || !('error' in value)) return null;
  const error = (value as { error: unknown }).error;
  if (typeof error !== 'object' || error === null || !('message' in error)) return null;
  return String((error as { message: unknown }).message);
};

async function runJsonTest(test: SmokeTest, session: string, model: string): Promise<TestState> {
  const res = await fetch(`/api/playground/${test}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ session, model }),
  });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    return { phase: 'done', passed: false, calls: [], output: ERROR_SHAPE(body) ?? `HTTP ${res.status}` };
  }
  const result = body as SmokeTestResult;
  return {
    phase: 'done',
    passed: result.passed,
    calls: result.calls,
    output: result.output,
    error: result.error,
  };
}

/** Reads the relayed event stream, reporting every content chunk as it arrives. */
async function runStreamTest(
  session: string,
  model: string,
  onChunk: (chunks: string[], ttftMs: number) => void,
): Promise<TestState> {
  const started = performance.now();
  const res = await fetch('/api/playground/stream', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ session, model }),
  });
  const routerStatus = Number(res.headers.get('x-router-status') ?? res.status);
  const meta: RouterCallMetadata = {
    ...metadataFromHeaders('request', routerStatus, res.headers, 0),
    promptTokens: null,
    completionTokens: null,
  };
  if (!res.ok || routerStatus !== 200 || res.body === null) {
    const body: unknown = await res.json().catch(() => null);
    meta.latencyMs = Math.round(performance.now() - started);
    return {
      phase: 'done',
      passed: false,
      calls: meta.requestId ? [meta] : [],
      output: ERROR_SHAPE(body) ?? `HTTP ${routerStatus}`,
    };
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const chunks: string[] = [];
  let ttftMs: number | undefined;
  let buffer = '';
  let done = false;
  let streamError: string | null = null;
  while (!done) {
    const next = await reader.read();
    if (next.done) break;
    buffer += next.value;
    const events = buffer.split('\n\n');
    buffer = events.pop() ?? '';
    for (const event of events) {
      const data = event
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trim())
        .join('');
      if (data === '[DONE]') {
        done = true;
        break;
      }
      if (data === '') continue;
      const parsed = JSON.parse(data) as {
        choices?: { delta?: { content?: string | null } }[];
        usage?: { prompt_tokens: number; completion_tokens: number } | null;
        error?: { message?: string };
      };
      if (parsed.error) streamError = parsed.error.message ?? 'The stream ended with an error.';
      const content = parsed.choices?.[0]?.delta?.content;
      if (content) {
        ttftMs ??= Math.round(performance.now() - started);
        chunks.push(content);
        onChunk([...chunks], ttftMs);
      }
      if (parsed.usage) {
        meta.promptTokens = parsed.usage.prompt_tokens;
        meta.completionTokens = parsed.usage.completion_tokens;
      }
    }
  }
  meta.latencyMs = Math.round(performance.now() - started);
  return {
    phase: 'done',
    passed: chunks.length > 0 && streamError === null,
    calls: [meta],
    output: streamError ?? chunks.join(''),
    chunks,
    ttftMs,
  };
}

/** The calls a smoke test made, with the usage row each left (TTFT and cost arrive a moment later). */
const CALL_COLUMNS: readonly TableColumn[] = [
  { label: 'Step' },
  { label: 'Request id' },
  { label: 'Status' },
  { label: 'Served by' },
  { label: 'Latency' },
  { label: 'Router TTFT' },
  { label: 'Tokens in / out' },
  { label: 'Cost' },
];

function CallTable({ calls, usage }: { calls: RouterCallMetadata[]; usage: Map<string, PlaygroundUsage> }) {
  if (calls.length === 0) return null;
  return (
    <Table columns={CALL_COLUMNS} className="">
      {calls.map((call) => {
        const row = call.requestId ? usage.get(call.requestId) : undefined;
        return (
          <tr key={`${call.step}-${call.requestId}`} data-testid="playground-call" className="text-xs">
            <td className="px-3 py-1">{call.step}</td>
            <td className="px-3 py-1 font-mono">
              {call.requestId ? (
                <Link
                  href={`/requests/${encodeURIComponent(call.requestId)}`}
                  className="text-sky-700 hover:underline"
                  data-testid="request-link"
                >
                  {call.requestId}
                </Link>
              ) : (
                '—'
              )}
            </td>
            <td className="px-3 py-1 tabular-nums" data-testid="call-status">
              {call.status}
            </td>
            <td className="px-3 py-1" data-testid="call-served">
              {call.servedModel ? `${call.servedModel} · ${call.servedProvider ?? '?'}` : '—'}
              {call.attempts !== null && call.attempts > 1 ? ` (${call.attempts} attempts)` : ''}
            </td>
            <td className="px-3 py-1 tabular-nums" data-testid="call-latency">
              {formatMs(call.latencyMs)}
            </td>
            <td className="px-3 py-1 tabular-nums">{formatMs(row?.ttftMs ?? null)}</td>
            <td className="px-3 py-1 tabular-nums" data-testid="call-tokens">
              {formatInteger(call.promptTokens)} / {formatInteger(call.completionTokens)}
            </td>
            <td className="px-3 py-1 tabular-nums" data-testid="call-cost">
              {row === undefined ? '…' : row.unpriced ? 'unpriced' : formatMicrosUsd(row.costMicros)}
            </td>
          </tr>
        );
      })}
    </Table>
  );
}

const VERDICT_TONES = {
  passed: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  failed: 'bg-red-50 text-red-700 ring-red-600/20',
  'running…': 'bg-sky-50 text-sky-800 ring-sky-600/20',
} as const;

function Verdict({ state }: { state: TestState | undefined }) {
  if (state === undefined) return <span data-testid="smoke-verdict">—</span>;
  const verdict = state.phase === 'running' ? 'running…' : state.passed ? 'passed' : 'failed';
  return (
    <span
      data-testid="smoke-verdict"
      className={`inline-flex rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${VERDICT_TONES[verdict]}`}
    >
      {verdict}
    </span>
  );
}

function SelectField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  disabled: boolean;
  options: { value: string; label: string }[];
  hint?: string;
}) {
  return (
    <div>
      <label htmlFor={props.id} className="block text-sm font-medium text-slate-700">
        {props.label}
      </label>
      <select
        id={props.id}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        disabled={props.disabled}
        className={inputClass}
      >
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {props.hint && <p className="mt-1 text-xs text-slate-500">{props.hint}</p>}
    </div>
  );
}

export function PlaygroundRunner({
  keys,
  models,
  canWrite,
}: {
  keys: { id: string; name: string; prefix: string }[];
  models: string[];
  canWrite: boolean;
}) {
  const [templateKeyId, setTemplateKeyId] = useState('');
  const [model, setModel] = useState(models[0] ?? '');
  const [phase, setPhase] = useState<RunPhase>({ kind: 'idle' });
  const [results, setResults] = useState<Partial<Record<SmokeTest, TestState>>>({});
  const [usage, setUsage] = useState<Map<string, PlaygroundUsage>>(new Map());
  const busy = phase.kind === 'minting' || phase.kind === 'running';

  async function run() {
    setResults({});
    setUsage(new Map());
    setPhase({ kind: 'minting' });
    const started = await startPlaygroundAction(templateKeyId || null);
    if (started.status === 'error') {
      setPhase({ kind: 'failed', message: started.message });
      return;
    }
    const { session } = started;
    setPhase({
      kind: 'running',
      keyId: session.keyId,
      keyPrefix: session.keyPrefix,
      expiresAt: session.expiresAt,
    });
    const requestIds: string[] = [];
    try {
      for (const test of TESTS) {
        setResults((previous) => ({
          ...previous,
          [test.id]: { phase: 'running', passed: false, calls: [], output: '' },
        }));
        let state: TestState;
        try {
          state =
            test.id === 'stream'
              ? await runStreamTest(session.sealed, model, (chunks, ttftMs) =>
                  setResults((previous) => ({
                    ...previous,
                    stream: {
                      phase: 'running',
                      passed: false,
                      calls: [],
                      output: chunks.join(''),
                      chunks,
                      ttftMs,
                    },
                  })),
                )
              : await runJsonTest(test.id, session.sealed, model);
        } catch (error) {
          state = {
            phase: 'done',
            passed: false,
            calls: [],
            output: error instanceof Error ? error.message : String(error),
          };
        }
        for (const call of state.calls) if (call.requestId) requestIds.push(call.requestId);
        setResults((previous) => ({ ...previous, [test.id]: state }));
      }
    } finally {
      const ended = await endPlaygroundAction(session.sealed);
      setPhase({
        kind: 'finished',
        keyId: session.keyId,
        keyPrefix: session.keyPrefix,
        revoked: ended.status === 'revoked',
        message: ended.status === 'error' ? ended.message : null,
      });
    }
    // Usage rows are written in batches: poll for the run's rows (cost, router TTFT) with a deadline.
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const rows = await playgroundUsageAction(session.keyId);
      const byId = new Map(rows.map((row) => [row.requestId, row]));
      setUsage(byId);
      if (requestIds.every((id) => byId.has(id))) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  return (
    <div className="space-y-6">
      <section className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
        <div className="grid gap-4 md:grid-cols-3">
          <SelectField
            id="playground-key"
            label="Test as key"
            value={templateKeyId}
            onChange={setTemplateKeyId}
            disabled={busy}
            options={[
              { value: '', label: 'No template (every model)' },
              ...keys.map((key) => ({ value: key.id, label: `${key.name} (${key.prefix}…)` })),
            ]}
            hint="The run's key copies this key's models, traffic classes and team."
          />
          <SelectField
            id="playground-model"
            label="Model"
            value={model}
            onChange={setModel}
            disabled={busy}
            options={models.map((name) => ({ value: name, label: name }))}
          />
          <div className="flex items-end">
            <button
              type="button"
              onClick={run}
              disabled={busy || !canWrite || model === ''}
              className={`w-full ${buttonClass('primary')}`}
            >
              {phase.kind === 'minting'
                ? 'Minting a key…'
                : phase.kind === 'running'
                  ? 'Running…'
                  : 'Run the four smoke tests'}
            </button>
          </div>
        </div>
        {!canWrite && (
          <p className="mt-3 text-sm text-amber-800">
            Viewers cannot mint keys; ask an owner or admin to run the playground.
          </p>
        )}
        {models.length === 0 && (
          <p className="mt-3 text-sm text-amber-800">
            No enabled route yet: add one on the{' '}
            <Link href="/routes" className="underline">
              Routes
            </Link>{' '}
            page.
          </p>
        )}
        <div className="mt-3 text-sm" data-testid="playground-key-status" aria-live="polite">
          {phase.kind === 'minting' && 'Minting a short-lived key and waiting for the router to accept it…'}
          {phase.kind === 'running' && (
            <>
              Using key <code>{phase.keyPrefix}…</code> ({phase.keyId}), expires{' '}
              <LocalTime iso={phase.expiresAt} />.
            </>
          )}
          {phase.kind === 'finished' &&
            (phase.revoked ? (
              <span>
                Key <code>{phase.keyPrefix}…</code> ({phase.keyId}) <StatusBadge status="revoked" /> — the run
                is over.
              </span>
            ) : (
              <span className="text-red-700">
                Could not revoke key {phase.keyId}: {phase.message}. It expires by itself within 10 minutes.
              </span>
            ))}
          {phase.kind === 'failed' && (
            <span role="alert" className="text-red-700">
              {phase.message}
            </span>
          )}
        </div>
      </section>

      <div className="space-y-4">
        {TESTS.map((test) => {
          const state = results[test.id];
          return (
            <section
              key={test.id}
              aria-label={test.title}
              data-testid={`smoke-${test.id}`}
              className="min-w-0 rounded-xl border border-slate-200 bg-white p-5 shadow-sm"
            >
              <div className="flex items-baseline justify-between gap-3">
                <h2 className="text-base font-semibold">{test.title}</h2>
                <Verdict state={state} />
              </div>
              <p className="text-xs text-slate-500">Expects {test.expect}.</p>
              {state && (
                <div className="mt-3 space-y-3">
                  {test.id === 'stream' && (
                    <p className="text-xs text-slate-600">
                      <span data-testid="stream-chunk-count">{state.chunks?.length ?? 0}</span> chunks · time
                      to first token (browser):{' '}
                      <span data-testid="stream-ttft">{formatMs(state.ttftMs ?? null)}</span>
                    </p>
                  )}
                  <pre
                    data-testid="smoke-output"
                    className="max-h-48 overflow-auto whitespace-pre-wrap rounded-md bg-slate-50 p-3 text-xs text-slate-800"
                  >
                    {test.id === 'stream' && state.chunks
                      ? state.chunks.map((chunk, index) => (
                          // Chunks are only ever appended, so the index is a stable key.
                          // biome-ignore lint/suspicious/noArrayIndexKey: append-only list
                          <span key={index} data-testid="stream-chunk" className="border-r border-indigo-200">
                            {chunk}
                          </span>
                        ))
                      : state.output}
                  </pre>
                  {state.error && (
                    <p className="text-xs text-slate-600" data-testid="smoke-error">
                      HTTP {state.error.status} · <code>{state.error.code ?? 'no code'}</code>
                    </p>
                  )}
                  <CallTable calls={state.calls} usage={usage} />
                </div>
              )}
            </section>
          );
        })}
      </div>
    </div>
  );
}
