import { addProvider } from './add-provider';
import { mockStats, type Stack, setMockFaults } from './stack';

/**
 * The upstreams of the cross-family conformance rows (a caller of one family served by an upstream of another):
 * a provider of kind `anthropic` and one of kind `gemini`, both on the stack's mock, their routes and faults.
 */

/** micro-USD per million tokens of every upstream model here: costs are exact integers. */
export const PRICE = { input: 3_000_000n, output: 15_000_000n };

export function expectedCost(input: number, output: number): bigint {
  return (BigInt(input) * PRICE.input + BigInt(output) * PRICE.output + 500_000n) / 1_000_000n;
}

export type UpstreamKind = 'anthropic' | 'gemini';

export interface UpstreamUnderTest {
  kind: UpstreamKind;
  /** The usage row's `upstreamProtocol` for it. */
  protocol: string;
  /** The public model routed to it, and the upstream model its target names. */
  model: string;
  upstreamModel: string;
  /** A route whose target on it the mock answers 404 (the upstream does not know the model). */
  missingModel: string;
  /** A route whose primary, on this upstream, answers 503; the backup tier is the other family's. */
  failoverModel: string;
  /** The path the mock saw for a call to it. */
  mockPath: RegExp;
  providerName: string;
  providerId: string;
}

/** The other family: the failover backup of each. */
export const OTHER = { anthropic: 'gemini', gemini: 'anthropic' } as const;

/**
 * Adds both providers (base URL the mock's origin, as Anthropic's and Google's are origins), and per upstream a
 * route to it (`xf-claude`, `xf-gemini`), one to a model the mock answers 404 (`…-missing`) and one whose primary on
 * it answers 503 with the other family's target as backup (`…-failover`). Prices {@link PRICE} for all.
 */
export async function addCrossFamilyUpstreams(
  stack: Stack,
): Promise<Record<UpstreamKind, UpstreamUnderTest>> {
  const upstreams: Record<UpstreamKind, UpstreamUnderTest> = {
    anthropic: {
      kind: 'anthropic',
      protocol: 'anthropic-messages',
      model: 'xf-claude',
      upstreamModel: 'mock-claude',
      missingModel: 'xf-claude-missing',
      failoverModel: 'xf-claude-failover',
      mockPath: /^\/v1\/messages$/,
      providerName: 'xf-anthropic',
      providerId: '',
    },
    gemini: {
      kind: 'gemini',
      protocol: 'gemini-generate',
      model: 'xf-gemini',
      upstreamModel: 'mock-gemini-flash',
      missingModel: 'xf-gemini-missing',
      failoverModel: 'xf-gemini-failover',
      mockPath: /^\/v1beta\/models\/mock-gemini-flash:(generateContent|streamGenerateContent\?alt=sse)$/,
      providerName: 'xf-gemini',
      providerId: '',
    },
  };
  const accounts: Partial<Record<UpstreamKind, string>> = {};
  for (const upstream of Object.values(upstreams)) {
    const added = await addProvider(stack, {
      name: upstream.providerName,
      kind: upstream.kind,
      baseUrl: stack.mockOrigin,
      models: [upstream.upstreamModel, `${upstream.upstreamModel}-busy`, `${upstream.upstreamModel}-gone`],
      price: PRICE,
    });
    upstream.providerId = added.providerId;
    accounts[upstream.kind] = added.accountId;
  }
  const faults: Record<string, { status: number }> = {};
  for (const upstream of Object.values(upstreams)) {
    const accountId = accounts[upstream.kind] as string;
    await stack.addRoute({
      publicModel: upstream.model,
      targets: [{ accountId, upstreamModel: upstream.upstreamModel }],
    });
    await stack.addRoute({
      publicModel: upstream.missingModel,
      targets: [{ accountId, upstreamModel: `${upstream.upstreamModel}-gone` }],
    });
    const backup = upstreams[OTHER[upstream.kind]];
    await stack.addRoute({
      publicModel: upstream.failoverModel,
      targets: [
        { accountId, upstreamModel: `${upstream.upstreamModel}-busy`, tier: 0 },
        { accountId: accounts[backup.kind] as string, upstreamModel: backup.upstreamModel, tier: 1 },
      ],
    });
    faults[`${upstream.upstreamModel}-busy`] = { status: 503 };
    faults[`${upstream.upstreamModel}-gone`] = { status: 404 };
  }
  await setMockFaults(stack, { byModel: faults });
  return upstreams;
}

/** What the mock received last (path and body). */
export async function lastMockRequest(
  stack: Stack,
): Promise<{ path: string; body: Record<string, unknown> }> {
  const stats = (await mockStats(stack)) as unknown as {
    lastRequest: { path: string; body: Record<string, unknown> } | null;
  };
  if (stats.lastRequest === null) throw new Error('the mock saw no request');
  return stats.lastRequest;
}

export const PROMPT = 'Say hello to the gateway';
export const REPLY = `Mock reply to: ${PROMPT} — this is a deterministic mock completion.`;
/** The mock's counts, the same in every protocol: 3 + words per message in, one token per reply word out. */
export const PROMPT_TOKENS = 3 + PROMPT.split(' ').length;
export const REPLY_TOKENS = REPLY.split(' ').length;

/**
 * How a text tool result reads to the upstream: as sent for Anthropic; Gemini's `functionResponse.response` is an
 * object, so text that is not a JSON object goes as `{"result": text}` (the mock's reply quotes it as JSON).
 */
export function toolResultSeen(kind: UpstreamKind, text: string): string {
  return kind === 'anthropic' ? text : JSON.stringify({ result: text });
}
