import { PROVIDER_KINDS, type ProviderKind } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { adapterFor } from './provider-registry';

/**
 * Kinds the admin API accepts whose adapter is being written (issue 13). Each adapter's folder removes its kind
 * from here; the list must end empty, so no configurable kind is silently skipped by the router.
 */
const ADAPTER_PENDING: readonly ProviderKind[] = [];

describe('provider registry', () => {
  it('has an adapter for every configurable provider kind but the pending ones, and for no other kind', () => {
    const served = PROVIDER_KINDS.filter((kind) => adapterFor(kind) !== undefined);
    const unserved = PROVIDER_KINDS.filter((kind) => adapterFor(kind) === undefined);
    expect(unserved).toEqual(ADAPTER_PENDING);
    expect(served).toEqual(['openai', 'openai_compatible', 'anthropic', 'gemini', 'azure_openai']);
  });

  it('every adapter serves chat in some protocol, and declares only the kinds it is registered for', () => {
    for (const kind of PROVIDER_KINDS) {
      const adapter = adapterFor(kind);
      if (!adapter) continue;
      expect(adapter.kinds).toContain(kind);
      expect(adapter.protocols.chat).toBeDefined();
      // A unary family is served only with its handler: protocols and unary name the same families.
      for (const family of ['embeddings', 'images'] as const) {
        expect(adapter.protocols[family] !== undefined).toBe(adapter.unary?.[family] !== undefined);
      }
    }
  });

  it('the OpenAI adapter speaks openai-chat and passes a body through with the model replaced', () => {
    const adapter = adapterFor('openai');
    expect(adapter?.protocols).toEqual({
      chat: 'openai-chat',
      embeddings: 'openai-embeddings',
      images: 'openai-images',
    });
    const body = { model: 'public', messages: [{ role: 'user', content: 'hi' }], unknown_field: { a: 1 } };
    const built = adapter?.buildChatCall({
      baseUrl: 'http://upstream/v1',
      credential: 'sk-upstream',
      upstreamModel: 'gpt-x',
      body,
      form: 'native',
      stream: false,
    });
    expect(built?.ok).toBe(true);
    if (!built?.ok) return;
    expect(built.value.url).toBe('http://upstream/v1/chat/completions');
    expect(JSON.parse(built.value.body)).toEqual({ ...body, model: 'gpt-x' });
    expect(body.model).toBe('public');
  });

  it('sends a Responses caller of an openai provider to /v1/responses natively, and translates for compatible ones', () => {
    const responses = { protocol: 'openai-responses', family: 'chat' } as const;
    const chat = { protocol: 'openai-chat', family: 'chat' } as const;
    expect(adapterFor('openai', responses)?.protocols.chat).toBe('openai-responses');
    expect(adapterFor('openai_compatible', responses)?.protocols.chat).toBe('openai-chat');
    expect(adapterFor('openai', chat)).toBe(adapterFor('openai'));
    const body = { model: 'public', input: 'hi', previous_response_id: 'resp_1', web_search_probe: true };
    const built = adapterFor('openai', responses)?.buildChatCall({
      baseUrl: 'http://upstream/v1',
      credential: 'sk-upstream',
      upstreamModel: 'gpt-x',
      body,
      form: 'native',
      stream: true,
    });
    if (!built?.ok) throw new Error('expected a call');
    expect(built.value.url).toBe('http://upstream/v1/responses');
    expect(built.value.headers.accept).toBe('text/event-stream');
    expect(JSON.parse(built.value.body)).toEqual({ ...body, model: 'gpt-x' });
  });

  it('the Responses adapter reads usage from the terminal event only, which ends the stream', () => {
    const adapter = adapterFor('openai', { protocol: 'openai-responses', family: 'chat' });
    if (!adapter) throw new Error('no adapter');
    const delta = adapter.readStreamEvent(
      JSON.stringify({ type: 'response.output_text.delta', delta: '"type":"response.completed"' }),
    );
    expect(delta).toEqual({ usage: null, usageOnly: false, done: false });
    const done = adapter.readStreamEvent(
      JSON.stringify({
        type: 'response.completed',
        response: { usage: { input_tokens: 5, output_tokens: 7, total_tokens: 12 } },
      }),
    );
    expect(done.done).toBe(true);
    expect(done.usage).toMatchObject({ inputTokens: 5, outputTokens: 7, totalTokens: 12, malformed: false });
  });
});
