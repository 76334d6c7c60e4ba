import type { ProviderAdapter } from '@switchyard/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { responseUsage } from '../billing/estimate-usage';
import { stopTokenCountThread } from '../billing/token-count-thread';
import { countTextTokens } from '../billing/token-estimator';
import { anthropicAdapter } from '../providers/anthropic/anthropic-adapter';
import { geminiAdapter } from '../providers/gemini/gemini-adapter';
import { openAiAdapter } from '../providers/openai/openai-adapter';
import { openAiResponsesAdapter } from '../providers/openai/openai-responses-adapter';
import { openAiEmbeddingsFamily, openAiImagesFamily } from '../providers/openai/openai-unary-families';
import { AnswerJson } from './answer-json';

afterAll(() => stopTokenCountThread());

const CHAT_ADAPTERS: ProviderAdapter[] = [
  openAiAdapter,
  openAiResponsesAdapter,
  anthropicAdapter,
  geminiAdapter,
];
const USAGE_READERS = [...CHAT_ADAPTERS, openAiEmbeddingsFamily, openAiImagesFamily];

/** What the router read before: the body decoded as UTF-8, parsed, and kept only when it is a JSON object. */
function decodedParse(body: Buffer): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Text of every UTF-8 length (em dash, emoji, CJK, combining marks, U+2028, a BOM), JSON's own specials too. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '—',
      '😀',
      '👩‍💻',
      'é',
      'e\u0301',
      '中',
      '\u2028',
      '\ufeff',
      '\u0085',
      'a',
      ' ',
      '"',
      '\\',
      '\n',
    ),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 24,
});
const count = fc.oneof(fc.nat(100_000), fc.constantFrom(-1, 1.5, '12', null));
/** The usage object of any of the four chat protocols, partial or broken at times. */
const usage = fc.record(
  {
    prompt_tokens: count,
    completion_tokens: count,
    total_tokens: count,
    input_tokens: count,
    output_tokens: count,
    promptTokenCount: count,
    candidatesTokenCount: count,
    totalTokenCount: count,
  },
  { requiredKeys: [] },
);
/** A chat answer in one of the four protocols, its texts drawn from `text`, keys non-ASCII at times. */
const answer = fc.record(
  {
    id: text,
    choices: fc.array(fc.record({ message: fc.record({ role: fc.constant('assistant'), content: text }) })),
    content: fc.array(fc.record({ type: fc.constant('text'), text })),
    output: fc.array(
      fc.record({
        type: fc.constant('message'),
        content: fc.array(fc.record({ type: fc.constant('output_text'), text })),
      }),
    ),
    candidates: fc.array(fc.record({ content: fc.record({ parts: fc.array(fc.record({ text })) }) })),
    usage,
    usageMetadata: usage,
    extra: fc.dictionary(text, text, { maxKeys: 3 }),
  },
  { requiredKeys: [] },
);

/** JSON as an upstream may spell it: non-ASCII raw, or some of it as `\u` escapes (the same text either way). */
function spell(value: unknown, escapeEvery: number): string {
  let n = 0;
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) =>
    escapeEvery > 0 && n++ % escapeEvery === 0 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c,
  );
}

/** Bytes spliced into a body: anything, mostly bytes that are not UTF-8 (a lone continuation, a cut lead byte). */
const splice = fc.record({
  at: fc.nat(),
  bytes: fc.uint8Array({ minLength: 1, maxLength: 4, min: 0x80, max: 0xff }).map((b) => Buffer.from(b)),
});
const body = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(answer, fc.nat(3)).map(([a, e]) => Buffer.from(spell(a, e), 'utf8')) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(answer, fc.nat(3), fc.array(splice, { minLength: 1, maxLength: 3 }))
      .map(([a, e, cuts]) => {
        let bytes = Buffer.from(spell(a, e), 'utf8');
        for (const { at, bytes: inserted } of cuts) {
          const i = at % (bytes.length + 1);
          bytes = Buffer.concat([bytes.subarray(0, i), inserted, bytes.subarray(i)]);
        }
        return bytes;
      }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => Buffer.from(spell(v, 2), 'utf8')) },
);

describe('AnswerJson', () => {
  it('relayed as bytes or translated: the verdict, the usage and the text are those of the decoded parse', () => {
    fc.assert(
      fc.property(body, (bytes) => {
        const reference = decodedParse(bytes);
        for (const relayedAsBytes of [true, false]) {
          const parsed = AnswerJson.parse(bytes, relayedAsBytes);
          expect(parsed === null).toBe(reference === null);
          if (parsed === null || reference === null) continue;
          for (const reader of USAGE_READERS)
            expect(parsed.usage(reader)).toEqual(reader.readUsage(reference));
          expect(parsed.text()).toEqual(reference);
          for (const adapter of CHAT_ADAPTERS)
            expect(adapter.readResponseText(parsed.text())).toBe(adapter.readResponseText(reference));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a byte-order mark, an array, a string, nothing: not a JSON object, whichever way it is parsed', () => {
    for (const source of ['\ufeff{"choices":[]}', '[{"a":1}]', '"{}"', '', 'null', '{"a":"\u00e9"']) {
      expect(AnswerJson.parse(Buffer.from(source, 'utf8'), true)).toBeNull();
      expect(AnswerJson.parse(Buffer.from(source, 'utf8'), false)).toBeNull();
    }
  });

  it('a passthrough answer without usage is estimated from its decoded text, escapes and raw bytes alike', async () => {
    // `\u00e9` escaped and `é` raw are the same text; on the wire one is U+00E9 and the other "Ã©", so decoding
    // the wire parse's string (or reading it as it is) would count other tokens.
    const content = 'café — café 😀 中文 naïve';
    const bytes = Buffer.from(
      `{"choices":[{"message":{"role":"assistant","content":"caf\\u00e9 — café 😀 中文 naïve"}}]}`,
      'utf8',
    );
    const parsed = AnswerJson.parse(bytes, true);
    if (parsed === null) throw new Error('a JSON object');
    expect(parsed.usage(openAiAdapter)).toBeNull();
    const request = { model: 'm', messages: [{ role: 'user', content: 'hello' }] };
    const known = await responseUsage(null, openAiAdapter, request, parsed);
    expect(known.estimated).toBe(true);
    expect(known.usage?.outputTokens).toBe(countTextTokens(content));
    expect(openAiAdapter.readResponseText(parsed.text())).toBe(content);
  });

  it('usage counts read on the wire are the reported ones, whatever text surrounds them', () => {
    const bytes = Buffer.from(
      '{"id":"—","choices":[{"message":{"content":"😀"}}],"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10},"x\u00e9":"\u00e9"}',
      'utf8',
    );
    const parsed = AnswerJson.parse(bytes, true);
    expect(parsed?.usage(openAiAdapter)).toMatchObject({ inputTokens: 7, outputTokens: 3, totalTokens: 10 });
  });
});
