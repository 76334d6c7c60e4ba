import type { MockContext } from '../mock-context';
import type { ChatReply } from '../plan-reply';
import type { AnthropicTokens } from './build-message';
import type { MockMessagesRequest } from './parse-messages-request';

/**
 * Splits the input tokens as Anthropic does: with a `cache_control` marker, the prefix it closes is a cache
 * write the first time this key sends it and a cache read afterwards (the mock has no minimum cacheable
 * length and no expiry); `input_tokens` is the rest.
 */
export function anthropicTokensOf(
  ctx: MockContext,
  request: MockMessagesRequest,
  reply: ChatReply,
  apiKey: string | undefined,
): AnthropicTokens {
  const prefix = request.cachePrefix;
  const output = reply.usage.completionTokens;
  if (prefix === undefined || prefix.tokens === 0) {
    return { input: request.inputTokens, cacheCreation: 0, cacheRead: 0, output, ttl: '5m' };
  }
  const seen = ctx.remember(ctx.promptCache, `${apiKey ?? ''}\n${prefix.key}`);
  return {
    input: request.inputTokens - prefix.tokens,
    cacheCreation: seen ? 0 : prefix.tokens,
    cacheRead: seen ? prefix.tokens : 0,
    output,
    ttl: prefix.ttl,
  };
}
