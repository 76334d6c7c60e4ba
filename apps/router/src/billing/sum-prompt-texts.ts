/** Tokens the chat format adds per message (role and separators) and once per reply, as OpenAI counts them. */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY = 3;

/**
 * `count` over every text of an OpenAI chat request's messages (string content, text parts, name, tool-call
 * names and arguments), plus 3 per message and 3 for the reply's priming: OpenAI's counting recipe.
 */
export function sumPromptTexts(body: Record<string, unknown>, count: (text: string) => number): number {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  let tokens = TOKENS_PER_REPLY;
  for (const message of messages) {
    tokens += TOKENS_PER_MESSAGE;
    if (typeof message !== 'object' || message === null) continue;
    const m = message as Record<string, unknown>;
    const content = contentText(m.content);
    if (content.length > 0) tokens += count(content);
    if (typeof m.name === 'string' && m.name.length > 0) tokens += count(m.name);
    if (Array.isArray(m.tool_calls)) {
      for (const call of m.tool_calls) {
        const fn = (call as { function?: { name?: unknown; arguments?: unknown } } | null)?.function;
        if (typeof fn?.name === 'string' && fn.name.length > 0) tokens += count(fn.name);
        if (typeof fn?.arguments === 'string' && fn.arguments.length > 0) tokens += count(fn.arguments);
      }
    }
  }
  return tokens;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    const t = (part as { type?: unknown; text?: unknown } | null)?.text;
    if (typeof t === 'string') text += t;
  }
  return text;
}
