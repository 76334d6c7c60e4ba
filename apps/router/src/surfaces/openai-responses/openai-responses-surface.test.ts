import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openAiResponsesSurface as surface } from './openai-responses-surface';

const context = { keyId: 'key_1', requestId: 'req_1' };

describe('openai-responses surface', () => {
  it('parses a translatable request into canonical chat, the caller body kept as its native body', () => {
    const body = { model: 'm', input: 'hi', instructions: 'sys', max_output_tokens: 9, stream: true };
    const parsed = surface.parse(body, {}, context);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.native).toEqual({ protocol: 'openai-responses', body });
    expect(parsed.value.body.messages).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'hi' },
    ]);
    expect(parsed.value).toMatchObject({ model: 'm', stream: true, maxTokens: 9, choices: 1 });
    expect(parsed.value.nativeOnly).toBeUndefined();
  });

  it('sends what translation cannot carry only to native targets, refusing with the translator’s words', () => {
    const parsed = surface.parse({ model: 'm', input: 'hi', tools: [{ type: 'web_search' }] }, {}, context);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.nativeOnly?.targetId).toBeNull();
    expect(parsed.value.nativeOnly?.refusal.code).toBe('unsupported_feature');
    expect(parsed.value.body.messages).toHaveLength(1);
  });

  it('refuses a malformed request outright, naming the field', () => {
    const parsed = surface.parse({ model: 'm', input: 3 }, {}, context);
    expect(parsed.ok ? null : parsed.error).toMatchObject({ code: 'invalid_request', param: 'input' });
    const noModel = surface.parse({ input: 'x' }, {}, context);
    expect(noModel.ok ? null : noModel.error.param).toBe('model');
  });

  it('pins a tagged previous_response_id to its target and sends the upstream its own id', () => {
    const parsed = surface.parse(
      { model: 'm', input: 'next', previous_response_id: 'resp_tgt-abc_mock7' },
      {},
      context,
    );
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.nativeOnly?.targetId).toBe('tgt_abc');
    expect(parsed.value.native.body.previous_response_id).toBe('resp_mock7');
    expect(parsed.value.nativeOnly?.refusal.param).toBe('previous_response_id');
  });

  it('never throws on any previous_response_id or input a caller sends', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (previous, input) => {
        const parsed = surface.parse({ model: 'm', input, previous_response_id: previous }, {}, context);
        if (!parsed.ok) expect(parsed.error.status).toBe(400);
      }),
    );
  });

  it('tags the response ids of a native answer with the serving target, or leaves them when it cannot', () => {
    const parsed = surface.parse({ model: 'm', input: 'x' }, {}, context);
    if (!parsed.ok) throw new Error('unparsed');
    const rewriter = surface.passthroughRewriter?.(parsed.value, 'tgt_abc');
    const answer = rewriter?.answer(Buffer.from('{"id":"resp_1","object":"response"}'));
    expect(JSON.parse(answer?.toString() ?? '{}').id).toBe('resp_tgt-abc_1');
    expect(surface.passthroughRewriter?.(parsed.value, 'odd-id')).toBeNull();
  });
});
