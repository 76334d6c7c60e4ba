import type { ProviderAdapter, ProviderKind } from '@switchyard/core';
import { anthropicAdapter } from './anthropic/anthropic-adapter';
import { openAiAdapter } from './openai/openai-adapter';

const ADAPTERS: readonly ProviderAdapter[] = [openAiAdapter, anthropicAdapter];

const byKind = new Map<ProviderKind, ProviderAdapter>();
for (const adapter of ADAPTERS) for (const kind of adapter.kinds) byKind.set(kind, adapter);

/** The adapter for a provider kind, or undefined when this router cannot speak it yet. */
export function adapterFor(kind: ProviderKind): ProviderAdapter | undefined {
  return byKind.get(kind);
}
