import { createServer, type Server, type ServerResponse } from 'node:http';
import { createCredentialCipher, generateApiKey, newId } from '@switchyard/db';
import { type Stack, startStack as start, waitFor } from '@switchyard/testkit';
import OpenAI from 'openai';
import { expect, inject } from 'vitest';

export {
  SEEDED_MODEL,
  SEEDED_PRICE,
  type Stack,
  startExtraRouter,
  startTcpProxy,
  type TcpProxy,
  UPSTREAM_MODEL,
  waitFor,
} from '@switchyard/testkit';

/** A real stack on this test run's PostgreSQL server. */
export function startStack(routerEnv: Record<string, string> = {}): Promise<Stack> {
  return start(inject('pgServerUrl'), routerEnv);
}

/**
 * The longest a usage row may legitimately take after its answer: the router's own bound on a token count
 * (COUNT_TIMEOUT_MS, 20 s: the first estimate of a fresh router builds the tokenizer, measured 5–8 s at load
 * average 15), then a batch write.
 */
const USAGE_ROW_TIMEOUT_MS = 30_000;
/** How long the router must report nothing left to store (three readings at least) before a missing row fails. */
const USAGE_IDLE_MS = 1_000;

/** What the router's /readyz says is still to be stored: counts in flight, rows queued, rows spilled. */
interface UsageBacklog {
  usageCounting: number;
  usagePending: number;
  usageSpilled: number;
}

/**
 * The usage row of `requestId`, once the router has stored it. Waits as long as the router says it still holds
 * usage (a count in flight, a row queued or spilled; /readyz), up to the router's own bound, and fails within
 * about a second once it holds nothing and the row is not there: such a row will never come.
 */
export async function awaitUsageRow(stack: Stack, requestId: string, routerUrl?: string) {
  let idleSince: number | null = null;
  let idleReadings = 0;
  let backlog: UsageBacklog | null = null;
  const check = async () => {
    // Read before the row: a router idle at this reading had stored everything it settled before it.
    const ready = (await (await fetch(`${routerUrl ?? stack.routerUrl}/readyz`)).json()) as UsageBacklog;
    backlog = ready;
    const row = await stack.prisma.usageEvent.findUnique({ where: { requestId } });
    if (row) return row;
    if (ready.usageCounting + ready.usagePending + ready.usageSpilled > 0) {
      idleSince = null;
      idleReadings = 0;
      return null;
    }
    idleSince ??= Date.now();
    idleReadings++;
    if (idleReadings >= 3 && Date.now() - idleSince >= USAGE_IDLE_MS)
      throw new Error(`no usage row ${requestId}: the router has held no usage for ${USAGE_IDLE_MS} ms`);
    return null;
  };
  try {
    return await waitFor(`usage row ${requestId}`, check, { timeoutMs: USAGE_ROW_TIMEOUT_MS });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message} (the router last reported ${JSON.stringify(backlog)})`);
  }
}

/** One attempt of a usage row's `attempts` (JSON), the fields the failover tests read. */
export interface AttemptJson {
  status: number | null;
  errorClass: string | null;
  providerId: string;
}

/** The primary's provider answered 503 (once or retried), then the backup's provider served with 200. */
export function expectFailedOver(attempts: unknown, primary: string, backup: string): void {
  const list = (attempts as AttemptJson[]).map((a) => [a.providerId, a.status]);
  expect(list.length).toBeGreaterThanOrEqual(2);
  expect(list.at(-1)).toEqual([backup, 200]);
  for (const attempt of list.slice(0, -1)) expect(attempt).toEqual([primary, 503]);
}

/** What the mock counted so far (see packages/mock-provider README, stats). */
export interface MockStats {
  requests: number;
  aborted: number;
  byModel: Record<string, number>;
  byKey: Record<string, number>;
}

/** Replaces the mock's instance faults (byModel, byKey, …); `{}` heals it. */
export async function setMockFaults(stack: Stack, faults: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${stack.mockOrigin}/__mock/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (res.status !== 200)
    throw new Error(`mock refused faults ${JSON.stringify(faults)}: ${await res.text()}`);
}

/** Adds `byModel` faults to the mock's instance faults in force (which {@link setMockFaults} would replace). */
export async function addMockModelFaults(
  stack: Stack,
  byModel: Record<string, Record<string, unknown>>,
): Promise<void> {
  const faults = (await (await fetch(`${stack.mockOrigin}/__mock/faults`)).json()) as {
    byModel?: Record<string, unknown>;
  };
  await setMockFaults(stack, { ...faults, byModel: { ...faults.byModel, ...byModel } });
}

export async function mockStats(stack: Stack): Promise<MockStats> {
  return (await (await fetch(`${stack.mockOrigin}/__mock/stats`)).json()) as MockStats;
}

/** The API error a call to the router fails with (an `openai` SDK error); throws if the call succeeds. */
export async function apiError(call: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** A local webhook receiver: `answer` gets each POST's body as sent and returns the status to reply with. */
export async function startWebhookReceiver(
  answer: (body: string) => number | Promise<number>,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      void Promise.resolve(answer(body)).then((status) => res.writeHead(status).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * A new key with one budget (scope key, period total unless given) on it, known with its budget to the router
 * when this returns: the budget is written first, so the snapshot that first knows the key also has it.
 */
export async function budgetedKey(
  stack: Stack,
  budget: {
    name: string;
    mode: 'hard' | 'soft';
    limitMicros: bigint;
    alertThresholds?: number[];
    webhookUrl?: string;
  },
): Promise<{ plaintext: string; keyId: string; budgetId: string }> {
  const key = generateApiKey();
  const keyId = newId('key');
  const budgetId = newId('bud');
  await stack.prisma.budget.create({
    data: {
      id: budgetId,
      name: budget.name,
      scope: 'key',
      scopeId: keyId,
      period: 'total',
      mode: budget.mode,
      limitMicros: budget.limitMicros,
      ...(budget.alertThresholds ? { alertThresholds: budget.alertThresholds } : {}),
      webhookUrl: budget.webhookUrl ?? null,
    },
  });
  await stack.prisma.apiKey.create({
    data: { id: keyId, name: `budgeted ${keyId}`, digest: key.digest, prefix: key.prefix },
  });
  await waitFor('the router to know the budgeted key', async () => {
    const res = await fetch(`${stack.routerUrl}/v1/models`, {
      headers: { authorization: `Bearer ${key.plaintext}` },
    });
    return res.status === 200;
  });
  return { plaintext: key.plaintext, keyId, budgetId };
}

/**
 * A plain HTTP upstream of the test's own, so its answers can be anything (`answer` writes each one), served to
 * `publicModel` as an OpenAI-compatible provider whose account holds `credential`. Close it after the stack.
 */
export async function addPlainUpstream(
  stack: Stack,
  options: { name: string; credential: string; publicModel: string; answer: (res: ServerResponse) => void },
): Promise<Server> {
  const upstream = createServer((req, res) => {
    req.resume();
    req.on('end', () => options.answer(res));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const address = upstream.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const cipher = createCredentialCipher(Buffer.from(stack.masterKey, 'hex'));
  const providerId = newId('prv');
  const accountId = newId('acc');
  await stack.prisma.provider.create({
    data: {
      id: providerId,
      name: options.name,
      kind: 'openai_compatible',
      baseUrl: `http://127.0.0.1:${port}/v1`,
    },
  });
  await stack.prisma.upstreamAccount.create({
    data: {
      id: accountId,
      providerId,
      name: `${options.name}-account`,
      credentialCiphertext: cipher.encrypt(options.credential),
    },
  });
  await stack.addRoute({
    publicModel: options.publicModel,
    targets: [{ accountId, upstreamModel: 'anything' }],
  });
  return upstream;
}
