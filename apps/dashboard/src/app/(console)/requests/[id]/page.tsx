import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { AttemptsTable } from '@/components/attempts-table';
import { Fact } from '@/components/fact';
import { LocalTime } from '@/components/local-time';
import { StatusBadge } from '@/components/ui/badge';
import { formatInteger, formatMicrosUsd, formatMs } from '@/lib/format';
import { formatProtocols } from '@/lib/format-protocols';
import { getAdminContext } from '@/server/admin-context';
import { AdminError } from '@/server/admin-error';
import { requireConsoleActor } from '@/server/console-session';
import { getRequest, getRequestPayload } from '@/server/requests';
import { PayloadSection } from './payload-section';

export const metadata: Metadata = { title: 'Request' };

const none = <span className="text-slate-400">—</span>;

export default async function RequestPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireConsoleActor();
  const { id } = await params;
  const request = await getRequest(getAdminContext(), actor, decodeURIComponent(id)).catch(
    (error: unknown) => {
      if (error instanceof AdminError && error.code === 'not_found') notFound();
      throw error;
    },
  );
  const payload = await getRequestPayload(getAdminContext(), actor, request.requestId).catch(
    (error: unknown) => {
      // Another team's request for a member: its bodies are not theirs to read.
      if (error instanceof AdminError && error.code === 'not_found') return null;
      throw error;
    },
  );
  const section = 'rounded-xl border border-slate-200 bg-white p-6 shadow-sm';
  const grid = 'mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-4';

  return (
    <div className="space-y-8">
      <div>
        <Link href="/requests" className="text-sm text-slate-600 underline">
          ← Requests
        </Link>
        <h1 className="mt-2 break-all font-mono text-xl font-semibold" data-testid="request-id">
          {request.requestId}
        </h1>
        <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <StatusBadge status={request.status} testId="request-status" />
          <span>HTTP {request.httpStatus}</span>
          {request.errorClass && <span data-testid="request-error-class">{request.errorClass}</span>}
          <span>·</span>
          <LocalTime iso={request.createdAt} />
        </p>
      </div>

      <section aria-labelledby="attempts-heading" className={section}>
        <h2 id="attempts-heading" className="text-base font-semibold">
          Attempts ({request.attempts.length})
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Each upstream attempt in order: the target's account and model, how it ended, and why the router
          sent it (the failover rung) or passed it over.
        </p>
        <div className="mt-3 overflow-x-auto">
          {request.attempts.length === 0 ? (
            <p className="text-sm text-slate-500">
              No attempt: the router refused the request before any upstream.
            </p>
          ) : (
            <AttemptsTable attempts={request.attempts} />
          )}
        </div>
      </section>

      <section aria-labelledby="served-heading" className={section}>
        <h2 id="served-heading" className="text-base font-semibold">
          Model and timing
        </h2>
        <dl className={grid}>
          <Fact label="Requested model">
            <span className="font-mono">{request.requestedModel}</span>
          </Fact>
          <Fact label="Served model" testId="request-served-model">
            {request.servedModel ? <span className="font-mono">{request.servedModel}</span> : none}
          </Fact>
          <Fact label="Provider / account">
            {request.servedProviderId
              ? `${request.servedProviderName ?? request.servedProviderId} / ${request.servedAccountName ?? request.servedAccountId}`
              : none}
          </Fact>
          <Fact label="Route">{request.routeId ?? none}</Fact>
          <Fact label="Protocol">{formatProtocols(request.surface, request.upstreamProtocol)}</Fact>
          <Fact label="Traffic class">{request.trafficClass ?? none}</Fact>
          <Fact label="Latency">{formatMs(request.latencyMs)}</Fact>
          <Fact label="Time to first token">{formatMs(request.ttftMs)}</Fact>
          <Fact label="Streamed">{request.stream ? 'yes' : 'no'}</Fact>
        </dl>
      </section>

      <section aria-labelledby="cost-heading" className={section}>
        <h2 id="cost-heading" className="text-base font-semibold">
          Tokens and cost
        </h2>
        <dl className={grid}>
          <Fact label="Input tokens">{formatInteger(request.inputTokens)}</Fact>
          <Fact label="Cached input tokens">{formatInteger(request.cachedInputTokens)}</Fact>
          <Fact label="Cache-write tokens">{formatInteger(request.cacheWriteTokens)}</Fact>
          <Fact label="Output tokens">{formatInteger(request.outputTokens)}</Fact>
          <Fact label="Reasoning tokens (in output)">{formatInteger(request.reasoningTokens)}</Fact>
          <Fact label="Cost" testId="request-cost">
            {formatMicrosUsd(request.costMicros)}{' '}
            {request.costEstimated && <StatusBadge status="estimated" testId="cost-estimated" />}
            {request.unpriced && <StatusBadge status="unpriced" testId="cost-unpriced" />}
          </Fact>
        </dl>
        {(request.costEstimated || request.unpriced) && (
          <p className="mt-3 text-sm text-slate-600">
            {request.costEstimated &&
              'Estimated: the upstream reported no usage, so the router counted the tokens itself. '}
            {request.unpriced &&
              'Unpriced: no price was in force for the served model; the cost is 0 until reviewed.'}
          </p>
        )}
      </section>

      <section aria-labelledby="attribution-heading" className={section}>
        <h2 id="attribution-heading" className="text-base font-semibold">
          Attribution
        </h2>
        <dl className={grid}>
          <Fact label="Key">
            {request.keyId ? (
              <>
                {request.keyName ?? request.keyId}
                {request.keyPrefix && (
                  <span className="ml-1 font-mono text-xs text-slate-400">{request.keyPrefix}</span>
                )}
              </>
            ) : (
              none
            )}
          </Fact>
          <Fact label="Team">{request.teamId ? (request.teamName ?? request.teamId) : none}</Fact>
          <Fact label="Environment">{request.environment ?? none}</Fact>
          <Fact label="Key owner">{request.ownerId ?? none}</Fact>
          <Fact label="End user">{request.endUser ?? none}</Fact>
          <Fact label="Tags">{request.tags.length > 0 ? request.tags.join(', ') : none}</Fact>
        </dl>
        <h3 className="mt-6 text-sm font-semibold">Metadata</h3>
        {request.metadata && Object.keys(request.metadata).length > 0 ? (
          <dl
            className="mt-2 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]"
            data-testid="request-metadata"
          >
            {Object.entries(request.metadata).map(([key, value]) => (
              <div key={key} className="contents">
                <dt className="font-mono text-xs text-slate-500">{key}</dt>
                <dd className="break-all font-mono text-xs">{value}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p className="mt-2 text-sm text-slate-500">None sent (the x-switchyard-metadata header).</p>
        )}
      </section>

      <PayloadSection payload={payload} className={section} />
    </div>
  );
}
