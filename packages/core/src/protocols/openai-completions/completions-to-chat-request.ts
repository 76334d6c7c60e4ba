import { fail, gatewayError, ok, type Result } from '../../gateway-error';
import type { ChatRequestBody } from '../canonical-chat';

/**
 * A legacy text completions request (`POST /v1/completions`, the `openai` SDK's `CompletionCreateParams`) as a
 * canonical chat request: the prompt becomes one user message and the answer's text is the completion. The
 * model stays the caller's public model.
 *
 * A prompt is a string, or an array holding one string. Several prompts in one request (a batch, answered
 * with a choice per prompt) and prompts as token ids are refused with `unsupported_feature`, as are `echo`,
 * `logprobs`, `suffix` and `best_of` above 1: a chat model cannot echo, score or insert text.
 * `max_tokens` defaults to 16 as OpenAI documents for this endpoint, so a translated request is capped the way
 * a completions caller expects. Sampling, stop sequences, penalties, `seed`, `logit_bias`, `n`, `user` and
 * streaming (with `stream_options`) carry over under their chat names. Never throws.
 */
export function completionsToChatRequest(body: unknown): Result<ChatRequestBody> {
  try {
    return translate(body);
  } catch (error) {
    return invalid(`Invalid request: ${error instanceof Error ? error.message : 'unreadable body'}.`, 'body');
  }
}

/** OpenAI's default `max_tokens` for `/v1/completions`. */
export const COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

const invalid = (message: string, param: string) => fail(gatewayError('invalid_request', message, param));
const unsupported = (message: string, param: string) =>
  fail(gatewayError('unsupported_feature', message, param));

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const present = (value: unknown): boolean => value !== undefined && value !== null;

/** Parameters that carry over as they are, with the type each must have. */
const CARRIED: Record<string, 'number' | 'string' | 'object' | 'stop' | 'boolean'> = {
  temperature: 'number',
  top_p: 'number',
  presence_penalty: 'number',
  frequency_penalty: 'number',
  seed: 'number',
  n: 'number',
  user: 'string',
  logit_bias: 'object',
  stream_options: 'object',
  stop: 'stop',
  stream: 'boolean',
};

const HANDLED = new Set(['model', 'prompt', 'max_tokens', 'echo', 'logprobs', 'suffix', 'best_of']);

function translate(body: unknown): Result<ChatRequestBody> {
  if (!isObject(body)) return invalid('The request body must be a JSON object.', 'body');
  for (const key of Object.keys(body)) {
    if (!HANDLED.has(key) && !(key in CARRIED)) {
      return unsupported(`Unknown or unsupported completions parameter '${key}'.`, key);
    }
  }
  const { model, prompt } = body;
  if (model === undefined) return invalid("Missing required parameter: 'model'.", 'model');
  if (typeof model !== 'string' || model.length === 0) {
    return invalid("Invalid value for 'model': expected a non-empty string.", 'model');
  }
  if (body.echo === true) {
    return unsupported(
      'echo (repeating the prompt in the completion) is not supported on this route.',
      'echo',
    );
  }
  if (present(body.logprobs)) {
    return unsupported('logprobs are not supported on this route.', 'logprobs');
  }
  if (present(body.suffix)) {
    return unsupported('suffix (inserting text before a suffix) is not supported on this route.', 'suffix');
  }
  if (present(body.best_of) && body.best_of !== 1) {
    return unsupported(
      'best_of above 1 (ranking several completions server-side) is not supported.',
      'best_of',
    );
  }
  if (present(body.echo) && typeof body.echo !== 'boolean') {
    return invalid("Invalid type for 'echo': expected a boolean.", 'echo');
  }

  let text: string;
  if (typeof prompt === 'string') text = prompt;
  else if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') text = prompt[0];
  else if (Array.isArray(prompt) && prompt.length > 1 && prompt.every((p) => typeof p === 'string')) {
    return unsupported(
      'Several prompts in one request (a batch) are not supported; send one prompt per request.',
      'prompt',
    );
  } else if (
    Array.isArray(prompt) &&
    prompt.length > 0 &&
    prompt.every((p) => typeof p === 'number' || Array.isArray(p))
  ) {
    return unsupported('Prompts given as token ids are not supported on this route; send text.', 'prompt');
  } else if (prompt === undefined || prompt === null) {
    return invalid("Missing required parameter: 'prompt'.", 'prompt');
  } else {
    return invalid("Invalid type for 'prompt': expected a string or an array of one string.", 'prompt');
  }

  const chat: ChatRequestBody = { model, messages: [{ role: 'user', content: text }] };
  const maxTokens = body.max_tokens;
  if (present(maxTokens)) {
    if (typeof maxTokens !== 'number' || !Number.isSafeInteger(maxTokens) || maxTokens < 1) {
      return invalid("Invalid value for 'max_tokens': expected a positive integer.", 'max_tokens');
    }
    chat.max_tokens = maxTokens;
  } else {
    chat.max_tokens = COMPLETIONS_DEFAULT_MAX_TOKENS;
  }
  for (const [key, kind] of Object.entries(CARRIED)) {
    const value = body[key];
    if (!present(value)) continue;
    const fits =
      kind === 'stop'
        ? typeof value === 'string' || (Array.isArray(value) && value.every((s) => typeof s === 'string'))
        : kind === 'object'
          ? isObject(value)
          : kind === 'number'
            ? typeof value === 'number' && Number.isFinite(value)
            : typeof value === kind;
    if (!fits) return invalid(`Invalid type for '${key}'.`, key);
    (chat as Record<string, unknown>)[key] = value;
  }
  if (chat.stream !== true) delete chat.stream_options;
  if (chat.stream === false) delete chat.stream;
  return ok(chat);
}
