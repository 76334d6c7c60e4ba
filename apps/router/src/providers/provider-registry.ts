import type { ProviderAdapter, ProviderKind } from '@switchyard/core';
import { azureOpenAiAdapter } from './azure-openai/azure-openai-adapter';
import { geminiAdapter } from './gemini/gemini-adapter';
import { openAiAdapter } from './openai/openai-adapter';

const ADAPTERS: readonly ProviderAdapter[] = [openAiAdapter, azureOpenAiAdapter, geminiAdapter];

const byKind = new Map<ProviderKind, ProviderAdapter>();
for (const adapter of ADAPTERS) for (const kind of adapter.kinds) byKind.set(kind, adapter);

/** The adapter for a provider kind, or undefined when this router cannot speak it yet. */
export function adapterFor(kind: ProviderKind): ProviderAdapter | undefined {
  return byKind.get(kind);
}
