import type { WireProtocol } from '@switchyard/core';

/**
 * Every protocol a request can arrive in (the router's surfaces): what the request log filters by. Here rather
 * than in `server/usage.ts` so the console's client code can list them without bundling the server's modules.
 */
export const usageSurfaces = [
  'openai-chat',
  'openai-responses',
  'openai-completions',
  'openai-embeddings',
  'openai-images',
  'anthropic-messages',
  'gemini-generate',
  'gemini-embed',
] as const satisfies readonly WireProtocol[];

// A protocol added to core without a place here fails to compile, rather than being unfilterable.
const everySurfaceListed: Exclude<WireProtocol, (typeof usageSurfaces)[number]> extends never ? true : never =
  true;
void everySurfaceListed;
