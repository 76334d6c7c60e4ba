import type { PrismaClient } from '@switchyard/db';

/** One hourly (or daily) rollup row; absent dimensions are '' as the router writes them. */
export interface RollupRow {
  bucketStart: string;
  keyId?: string;
  teamId?: string;
  model?: string;
  providerId?: string;
  status?: 'success' | 'error' | 'interrupted' | 'client_cancelled' | 'rejected';
  environment?: string;
  requests: number;
  streamRequests?: number;
  inputTokens?: bigint;
  outputTokens?: bigint;
  cachedInputTokens?: bigint;
  costMicros: bigint;
}

function data(row: RollupRow) {
  return {
    bucketStart: new Date(row.bucketStart),
    keyId: row.keyId ?? '',
    teamId: row.teamId ?? '',
    model: row.model ?? 'gpt-4o',
    providerId: row.providerId ?? '',
    status: row.status ?? 'success',
    environment: row.environment ?? '',
    requests: row.requests,
    streamRequests: row.streamRequests ?? 0,
    inputTokens: row.inputTokens ?? 0n,
    outputTokens: row.outputTokens ?? 0n,
    cachedInputTokens: row.cachedInputTokens ?? 0n,
    costMicros: row.costMicros,
  };
}

/** Writes rollup rows directly, with no raw usage events behind them. */
export async function insertHourlyRollups(prisma: PrismaClient, rows: RollupRow[]): Promise<void> {
  await prisma.usageRollupHourly.createMany({ data: rows.map(data) });
}

export async function insertDailyRollups(prisma: PrismaClient, rows: RollupRow[]): Promise<void> {
  await prisma.usageRollupDaily.createMany({ data: rows.map(data) });
}
