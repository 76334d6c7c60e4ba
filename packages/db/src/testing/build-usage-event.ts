import type { UsageEventRecord } from '@switchyard/core';

/**
 * A usage event as the router's sink writes it: a successful, non-streamed request served by `prv_1`/`acc_1`
 * with no tokens, no cost and no attribution, unless `fields` says otherwise. The request id and the time are
 * always the caller's, so rows stay distinct and no test reads the clock through a fixture.
 */
export function buildUsageEvent(
  fields: Partial<UsageEventRecord> & Pick<UsageEventRecord, 'requestId' | 'createdAt'>,
): UsageEventRecord {
  return {
    keyId: null,
    teamId: null,
    environment: 'production',
    requestedModel: 'demo-chat',
    routeId: null,
    servedProviderId: 'prv_1',
    servedAccountId: 'acc_1',
    servedModel: 'mock-gpt-4o-mini',
    status: 'success',
    errorClass: null,
    httpStatus: 200,
    latencyMs: 120,
    ttftMs: null,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    reasoningTokens: 0,
    cacheWriteTokens: 0,
    costMicros: 0n,
    costEstimated: false,
    unpriced: false,
    ownerId: null,
    tags: [],
    endUser: null,
    metadata: null,
    stream: false,
    attempts: [],
    surface: 'openai-chat',
    upstreamProtocol: 'openai-chat',
    ...fields,
  };
}
