import type { EndpointFamily, ProviderAdapter, ProviderKind, WireProtocol } from '@switchyard/core';
import { anthropicAdapter } from './anthropic/anthropic-adapter';
import { azureOpenAiAdapter } from './azure-openai/azure-openai-adapter';
import { geminiAdapter } from './gemini/gemini-adapter';
import { openAiAdapter, openAiCompatibleAdapter } from './openai/openai-adapter';

const ADAPTERS: readonly ProviderAdapter[] = [
  openAiAdapter,
  openAiCompatibleAdapter,
  anthropicAdapter,
  azureOpenAiAdapter,
  geminiAdapter,
];

const byKind = new Map<ProviderKind, ProviderAdapter>();
for (const adapter of ADAPTERS) for (const kind of adapter.kinds) byKind.set(kind, adapter);

/**
 * The adapter for a provider kind, or undefined when this router cannot speak it yet. With `surface`, the one a
 * request of that surface is sent through: the kind's own when it speaks the surface's protocol or has no other
 * for it, else the one it `alsoSpeaks` for that protocol (the fast path instead of translation).
 */
export function adapterFor(
  kind: ProviderKind,
  surface?: { readonly protocol: WireProtocol; readonly family: EndpointFamily },
): ProviderAdapter | undefined {
  const adapter = byKind.get(kind);
  if (
    adapter === undefined ||
    surface === undefined ||
    adapter.protocols[surface.family] === surface.protocol
  )
    return adapter;
  return adapter.alsoSpeaks?.[surface.protocol] ?? adapter;
}
