import { fail, gatewayError, ok, type Result } from '../../gateway-error';
import type { ChatRequestBody } from '../canonical-chat';

const unsupported = (message: string, param: string) =>
  fail(gatewayError('unsupported_feature', message, param));

/** Chat parameters a text-completion upstream takes under the same name. */
const SAME_NAME = [
  'temperature',
  'top_p',
  'n',
  'stop',
  'presence_penalty',
  'frequency_penalty',
  'seed',
  'logit_bias',
  'user',
  'stream',
  'stream_options',
] as const;

const HANDLED = new Set<string>([...SAME_NAME, 'model', 'messages', 'max_tokens', 'max_completion_tokens']);

/**
 * A canonical chat request as a legacy text completion request to an upstream that only completes text: the
 * one user message is the prompt. A conversation (system, assistant or tool turns, several user turns), images,
 * tools and response formats have no place in a prompt and are refused with `unsupported_feature`; so is any
 * chat parameter the endpoint lacks. `max_tokens` is always sent (the endpoint's own default is 16). Never
 * throws.
 */
export function chatRequestToCompletions(
  req: ChatRequestBody,
  upstreamModel: string,
): Result<{ body: Record<string, unknown> }> {
  for (const [key, value] of Object.entries(req)) {
    if (value === undefined || value === null || HANDLED.has(key)) continue;
    return unsupported(`The parameter '${key}' cannot be sent to a text-completion upstream.`, key);
  }
  const messages = Array.isArray(req.messages) ? req.messages : [];
  const only = messages[0];
  if (messages.length !== 1 || !only || only.role !== 'user') {
    return unsupported(
      'A text-completion upstream takes one prompt: only a single user message can be sent to it.',
      'messages',
    );
  }
  let prompt: string;
  if (typeof only.content === 'string') prompt = only.content;
  else if (Array.isArray(only.content) && only.content.every((part) => part?.type === 'text')) {
    prompt = only.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  } else {
    return unsupported('A text-completion upstream takes text only.', 'messages[0].content');
  }
  const body: Record<string, unknown> = { model: upstreamModel, prompt };
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  if (typeof maxTokens === 'number') body.max_tokens = maxTokens;
  for (const key of SAME_NAME) {
    if (req[key] !== undefined && req[key] !== null) body[key] = req[key];
  }
  return ok({ body });
}
