import type { ProviderKind } from '@switchyard/core';

/** What the "Add provider" form offers per kind: a label, the usual base URL and what the credential is called. */
export interface ProviderKindDefaults {
  label: string;
  /** Empty when there is no usual address (a self-hosted server, an Azure resource). */
  baseUrl: string;
  baseUrlHint: string;
  credentialLabel: string;
}

export const PROVIDER_KIND_DEFAULTS: Record<ProviderKind, ProviderKindDefaults> = {
  openai: {
    label: 'OpenAI',
    baseUrl: 'https://api.openai.com/v1',
    baseUrlHint: 'Usually https://api.openai.com/v1.',
    credentialLabel: 'API key (sk-…)',
  },
  openai_compatible: {
    label: 'OpenAI-compatible (vLLM, Ollama, Together, …)',
    baseUrl: '',
    baseUrlHint:
      'The server’s OpenAI-style base URL, ending in /v1. Private addresses need SWITCHYARD_EGRESS_ALLOW.',
    credentialLabel: 'API key or token',
  },
  anthropic: {
    label: 'Anthropic',
    baseUrl: 'https://api.anthropic.com/v1',
    baseUrlHint: 'Usually https://api.anthropic.com/v1.',
    credentialLabel: 'API key (sk-ant-…)',
  },
  gemini: {
    label: 'Google Gemini',
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta',
    baseUrlHint: 'Usually https://generativelanguage.googleapis.com/v1beta.',
    credentialLabel: 'API key',
  },
  azure_openai: {
    label: 'Azure OpenAI',
    baseUrl: '',
    baseUrlHint:
      'Your resource, e.g. https://my-resource.openai.azure.com/openai?api-version=2024-10-21 (api-version is optional).',
    credentialLabel: 'Resource key (api-key)',
  },
};
