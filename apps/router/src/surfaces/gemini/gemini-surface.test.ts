import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ChatChunkBody, gatewayError } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { geminiGenerateSurface, geminiStreamSurface } from './gemini-surface';

const withHeaders = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const contents = [{ role: 'user', parts: [{ text: 'Say hello' }] }];

/** A response double that keeps what a surface writes. */
function capture() {
  const out = { status: 0, headers: {} as Record<string, string>, body: '' };
  const res = {
    writeHead(status: number, headers: Record<string, string>) {
      out.status = status;
      out.headers = headers;
    },
    end(body: string) {
      out.body = body;
    },
  } as unknown as ServerResponse;
  return { res, out };
}

describe('gemini surface', () => {
  it('reads the key from x-goog-api-key, else ?key=, and names a missing one', () => {
    const read = geminiGenerateSurface.readKey;
    expect(
      read(withHeaders({ 'x-goog-api-key': 'sk-a' }), '/v1beta/models/m:generateContent?key=sk-b'),
    ).toEqual({ ok: true, value: 'sk-a' });
    expect(read(withHeaders({}), '/v1beta/models/m:generateContent?alt=sse&key=sk-b%2B1')).toEqual({
      ok: true,
      value: 'sk-b+1',
    });
    const missing = read(withHeaders({ authorization: 'Bearer sk-c' }), '/v1beta/models/m:generateContent');
    expect(missing.ok ? null : missing.error.code).toBe('missing_api_key');
  });

  it('parses the model from the path and the stream from the method; the native body is the body as sent', () => {
    const body = { contents, generationConfig: { maxOutputTokens: 9, candidateCount: 2 } };
    const parsed = geminiStreamSurface.parse(body, { model: 'gemini-2.5-flash' });
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.model).toBe('gemini-2.5-flash');
    expect(parsed.value.stream).toBe(true);
    expect(parsed.value.includeUsage).toBe(true);
    expect(parsed.value.maxTokens).toBe(9);
    expect(parsed.value.choices).toBe(2);
    expect(parsed.value.native).toEqual({ protocol: 'gemini-generate', body });
    expect(parsed.value.native.body).toBe(body);
    expect(parsed.value.body.messages).toEqual([{ role: 'user', content: 'Say hello' }]);
    expect(parsed.value.nativeOnly).toBeUndefined();
    const plain = geminiGenerateSurface.parse(body, { model: 'm' });
    expect(plain.ok && plain.value.stream).toBe(false);
    expect(geminiGenerateSurface.routes).toEqual([
      { method: 'POST', path: '/v1beta/models/{model}:generateContent' },
    ]);
  });

  it('keeps what only Gemini carries for a Gemini upstream, and names it for any other', () => {
    const body = {
      contents,
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
      generationConfig: { maxOutputTokens: 5, topK: 3, thinkingConfig: { thinkingBudget: 0 } },
    };
    const parsed = geminiGenerateSurface.parse(body, { model: 'm' });
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.nativeOnly?.targetId).toBeNull();
    expect(parsed.value.nativeOnly?.refusal.code).toBe('unsupported_feature');
    expect(parsed.value.nativeOnly?.refusal.param).toBe('safetySettings');
    // The rest still counts for limits and budgets.
    expect(parsed.value.maxTokens).toBe(5);
    expect(parsed.value.body.messages).toEqual([{ role: 'user', content: 'Say hello' }]);
    expect(parsed.value.native.body).toBe(body);
    expect(body.generationConfig.topK).toBe(3);
  });

  it('refuses a malformed body or model, naming the field', () => {
    const noContents = geminiGenerateSurface.parse({}, { model: 'm' });
    expect(noContents.ok ? null : noContents.error.param).toBe('contents');
    const climbing = geminiGenerateSurface.parse({ contents }, { model: '../admin' });
    expect(climbing.ok ? null : climbing.error.param).toBe('model');
    expect(geminiGenerateSurface.requestedModel({}, { model: 'x' })).toBe('x');
  });

  it("answers errors in Google's shape, the request id in the message and x-request-id", () => {
    const { res, out } = capture();
    geminiGenerateSurface.sendError(res, 'req_1', gatewayError('model_not_found', 'No such model.', 'model'));
    expect(out.status).toBe(404);
    expect(out.headers['x-request-id']).toBe('req_1');
    const error = JSON.parse(out.body).error;
    expect(error.code).toBe(404);
    expect(error.status).toBe('NOT_FOUND');
    expect(error.message).toBe('No such model. (request id: req_1)');
    expect(error.details[0].reason).toBe('model_not_found');
    const frame = geminiStreamSurface.streamError(gatewayError('upstream_timeout', 'stalled'), 'req_2');
    expect(frame.endsWith('\r\n\r\n')).toBe(true);
    expect(JSON.parse(frame.slice(6)).error).toMatchObject({ code: 504, status: 'DEADLINE_EXCEEDED' });
  });

  it('encodes canonical chunks as Gemini events: text as it comes, finish and usage in the last', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 5 }), (texts) => {
        const parsed = geminiStreamSurface.parse({ contents }, { model: 'm' });
        if (!parsed.ok) throw new Error('unparsed');
        const encoder = geminiStreamSurface.createStreamEncoder(parsed.value);
        const chunk = (choices: ChatChunkBody['choices']): ChatChunkBody => ({
          id: 'c',
          object: 'chat.completion.chunk',
          created: 1,
          model: 'm',
          choices,
        });
        let wire = '';
        for (const text of texts)
          wire += encoder.encode(chunk([{ index: 0, delta: { content: text }, finish_reason: null }]));
        wire += encoder.encode(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]));
        wire += encoder.encode({
          ...chunk([]),
          usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
        });
        wire += encoder.end();
        const events = wire.split('\r\n\r\n').filter((e) => e.length > 0);
        expect(events.every((e) => e.startsWith('data: ') && !e.includes('\n'))).toBe(true);
        const bodies = events.map((e) => JSON.parse(e.slice(6)));
        expect(bodies.slice(0, -1).map((b) => b.candidates[0].content.parts[0].text)).toEqual(texts);
        expect(bodies.at(-1).candidates[0].finishReason).toBe('STOP');
        expect(bodies.at(-1).usageMetadata).toEqual({
          promptTokenCount: 3,
          candidatesTokenCount: 4,
          totalTokenCount: 7,
        });
      }),
    );
  });

  it('never throws on what a caller sends, and keeps the native body as sent whenever it accepts one', () => {
    const part = fc.oneof(
      fc.record({ text: fc.string() }),
      fc.record({
        inlineData: fc.record({ mimeType: fc.constantFrom('image/png', 'audio/wav'), data: fc.string() }),
      }),
      fc.record({
        functionCall: fc.record({ name: fc.string(), args: fc.dictionary(fc.string(), fc.jsonValue()) }),
      }),
      fc.record({ functionResponse: fc.record({ name: fc.string(), response: fc.jsonValue() }) }),
      fc.jsonValue(),
    );
    const body = fc.oneof(
      fc.record(
        {
          contents: fc.array(
            fc.record({ role: fc.constantFrom('user', 'model', 'x'), parts: fc.array(part) }),
          ),
          safetySettings: fc.jsonValue(),
          generationConfig: fc.dictionary(
            fc.constantFrom(
              'maxOutputTokens',
              'topK',
              'temperature',
              'thinkingConfig',
              'candidateCount',
              'x',
            ),
            fc.jsonValue(),
          ),
          systemInstruction: fc.jsonValue(),
          tools: fc.jsonValue(),
        },
        { requiredKeys: ['contents'] },
      ),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(body, fc.string(), (json, model) => {
        for (const surface of [geminiGenerateSurface, geminiStreamSurface]) {
          const parsed = surface.parse(json, { model });
          if (!parsed.ok) {
            expect(parsed.error.status).toBe(400);
            continue;
          }
          expect(parsed.value.native.body).toBe(json);
          expect(Array.isArray(parsed.value.body.messages)).toBe(true);
          if (parsed.value.nativeOnly)
            expect(parsed.value.nativeOnly.refusal.code).toBe('unsupported_feature');
        }
      }),
    );
  });
});
