import { PROVIDER_KINDS, type ProviderKind } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { adapterFor } from './provider-registry';

/**
 * Kinds the admin API accepts whose adapter is being written (issue 13). Each adapter's folder removes its kind
 * from here; the list must end empty, so no configurable kind is silently skipped by the router.
 */
const ADAPTER_PENDING: readonly ProviderKind[] = ['gemini'];

describe('provider registry', () => {
  it('has an adapter for every configurable provider kind but the pending ones, and for no other kind', () => {
    const served = PROVIDER_KINDS.filter((kind) => adapterFor(kind) !== undefined);
    const unserved = PROVIDER_KINDS.filter((kind) => adapterFor(kind) === undefined);
    expect(unserved).toEqual(ADAPTER_PENDING);
    expect(served).toEqual(['openai', 'openai_compatible', 'anthropic']);
  });

  it('every adapter serves chat in some protocol, and declares only the kinds it is registered for', () => {
    for (const kind of PROVIDER_KINDS) {
      const adapter = adapterFor(kind);
      if (!adapter) continue;
      expect(adapter.kinds).toContain(kind);
      expect(adapter.protocols.chat).toBeDefined();
    }
  });

  it('the OpenAI adapter speaks openai-chat and passes a body through with the model replaced', () => {
    const adapter = adapterFor('openai');
    expect(adapter?.protocols).toEqual({ chat: 'openai-chat' });
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
});
