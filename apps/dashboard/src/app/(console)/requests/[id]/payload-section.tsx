import { LocalTime } from '@/components/local-time';
import type { RequestPayloadView } from '@/server/requests';

/** A body for reading: JSON indented, anything else (a stream's server-sent events, a cut body) as it is. */
function readable(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function Body({
  title,
  body,
  truncated,
  testId,
}: {
  title: string;
  body: string;
  truncated: boolean;
  testId: string;
}) {
  return (
    <div className="mt-4">
      <h3 className="flex items-center gap-2 text-sm font-semibold">
        {title}
        {truncated && (
          <span
            className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-900/40 dark:text-amber-200"
            data-testid={`${testId}-truncated`}
          >
            truncated
          </span>
        )}
      </h3>
      <pre
        className="mt-2 max-h-96 overflow-auto whitespace-pre-wrap break-all rounded-lg bg-slate-50 p-3 font-mono text-xs dark:bg-slate-900"
        data-testid={testId}
      >
        {readable(body)}
      </pre>
    </div>
  );
}

/** The request explorer's payload section: the captured bodies, or why there are none. */
export function PayloadSection({
  payload,
  className,
}: {
  payload: RequestPayloadView | null;
  className: string;
}) {
  const stored = payload?.payload ?? null;
  return (
    <section aria-labelledby="payload-heading" className={className}>
      <h2 id="payload-heading" className="text-base font-semibold">
        Payload
      </h2>
      {stored === null ? (
        <p className="mt-1 text-sm text-slate-600" data-testid="payload-not-captured">
          Not captured (enable “Capture payloads” on the key or route). Payloads are not stored by default
          {payload !== null && `; captured ones are kept ${payload.retentionDays} days`}.
        </p>
      ) : (
        <>
          <p className="mt-1 text-sm text-slate-600" data-testid="payload-retention">
            Captured because its key or route stores payloads; kept {payload?.retentionDays} days, deleted
            after <LocalTime iso={stored.expiresAt} />. Request headers are never stored.
          </p>
          <Body
            title="Request body"
            body={stored.request}
            truncated={stored.requestTruncated}
            testId="payload-request"
          />
          <Body
            title="Response body"
            body={stored.response}
            truncated={stored.responseTruncated}
            testId="payload-response"
          />
        </>
      )}
    </section>
  );
}
