import type { Server } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTextTokens } from '../src/billing/token-estimator';
import { openAiAdapter } from '../src/providers/openai/openai-adapter';
import { addPlainUpstream, awaitUsageRow, type Stack, startStack } from './stack';

// A passthrough answer is checked and billed on its wire bytes, not on decoded text (apps/router/src/proxy/
// answer-json.ts). As a property over answers of any text, escaped or raw, with bytes that are not UTF-8 spliced in:
// the caller gets the upstream's bytes exactly, or (when the decoded body is not a JSON object) a 502; the row bills
// the reported usage, or estimates the output from the correctly decoded content. The upstream is a plain HTTP
// server of this test, so its bytes can be anything.

const MODEL = 'bytes-chat';

let next: Buffer = Buffer.alloc(0);
let stack: Stack;
let upstream: Server;

beforeAll(async () => {
  // Invalid answers would open the breaker (503 from then on): kept shut here.
  stack = await startStack({ BREAKER_FAILURES: '100000', BREAKER_MIN_REQUESTS: '100000' });
  upstream = await addPlainUpstream(stack, {
    name: 'bytes',
    credential: 'sk-bytes',
    publicModel: MODEL,
    answer: (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(next),
  });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await new Promise<void>((resolve) => upstream?.close(() => resolve()));
});

const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('—', '😀', '👩‍💻', 'é', 'e\u0301', '中', '\u2028', '\ufeff', 'a', ' ', '"', '\\'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  minLength: 1,
  maxLength: 24,
});
const answer = fc.record({
  content: text,
  usage: fc.option(fc.record({ prompt: fc.nat(5000), completion: fc.nat(5000) }), { nil: null, freq: 2 }),
  /** Every how many non-ASCII characters one is sent as a `\u` escape (0: none). */
  escapeEvery: fc.nat(3),
  /** Bytes that are not UTF-8, spliced in at a byte offset (inside a string or not). */
  splice: fc.option(
    fc.record({ at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 3, min: 0x80, max: 0xff }) }),
    { nil: null, freq: 2 },
  ),
});

type Drawn = typeof answer extends fc.Arbitrary<infer T> ? T : never;

function answerBytes({ content, usage, escapeEvery, splice }: Drawn): Buffer {
  const json = {
    id: 'chatcmpl-bytes',
    object: 'chat.completion',
    model: 'anything',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    ...(usage === null
      ? {}
      : {
          usage: {
            prompt_tokens: usage.prompt,
            completion_tokens: usage.completion,
            total_tokens: usage.prompt + usage.completion,
          },
        }),
  };
  let n = 0;
  const spelled = JSON.stringify(json).replace(/[\u0080-\uffff]/g, (c) =>
    escapeEvery > 0 && n++ % escapeEvery === 0 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c,
  );
  const bytes = Buffer.from(spelled, 'utf8');
  if (splice === null) return bytes;
  const at = splice.at % (bytes.length + 1);
  return Buffer.concat([bytes.subarray(0, at), Buffer.from(splice.bytes), bytes.subarray(at)]);
}

describe('a passthrough answer of any bytes', () => {
  it('is relayed byte for byte and billed as the decoded answer says, or refused as that would be', async () => {
    await fc.assert(
      fc.asyncProperty(answer, async (drawn) => {
        next = answerBytes(drawn);
        // What the answer means: the body decoded as UTF-8 and parsed (an object, or nothing: it is spliced from one).
        let reference: Record<string, unknown> | null = null;
        try {
          reference = JSON.parse(next.toString('utf8'));
        } catch {
          // Not JSON: the router must refuse it.
        }
        const res = await fetch(`${stack.routerUrl}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }),
        });
        const received = Buffer.from(await res.arrayBuffer());
        const row = await awaitUsageRow(stack, res.headers.get('x-request-id') ?? '');
        if (reference === null) {
          expect(res.status).toBe(502);
          expect(row).toMatchObject({ status: 'error', errorClass: 'invalid_response' });
          return;
        }
        expect(res.status).toBe(200);
        expect(received.equals(next)).toBe(true);
        const sentUsage = JSON.parse(answerBytes({ ...drawn, splice: null }).toString('utf8')).usage;
        if (reference.usage === undefined) {
          // No usage (none sent, or its key broken by the splice): the output estimated from the decoded content.
          expect(row).toMatchObject({
            status: 'success',
            outputTokens: countTextTokens(openAiAdapter.readResponseText(reference)),
            costEstimated: true,
          });
        } else if (drawn.usage !== null && JSON.stringify(reference.usage) === JSON.stringify(sentUsage)) {
          expect(row).toMatchObject({
            status: 'success',
            inputTokens: drawn.usage.prompt,
            outputTokens: drawn.usage.completion,
            costEstimated: false,
          });
        }
      }),
      { numRuns: 40 },
    );
  }, 180_000);
});
