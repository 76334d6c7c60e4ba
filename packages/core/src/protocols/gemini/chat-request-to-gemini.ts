import { fail, gatewayError, ok, type Result } from '../../gateway-error';
import type { ChatRequestBody } from '../canonical-chat';
import {
  GEMINI_SKIP_SIGNATURE,
  geminiModelNeedsSignatures,
  geminiSignatureOf,
} from './gemini-thought-signature';
import type { GeminiContent, GeminiGenerateRequest, GeminiPart } from './gemini-wire';
import { isGeminiObject } from './gemini-wire';

/** A canonical chat request as a Gemini call: the body, and where it goes (method and path on the base URL). */
export interface GeminiUpstreamRequest {
  body: GeminiGenerateRequest;
  method: 'generateContent' | 'streamGenerateContent';
  /** `/v1beta/models/{model}:generateContent`, or `:streamGenerateContent?alt=sse` when streaming. */
  path: string;
}

const invalid = (message: string, param: string) => fail(gatewayError('invalid_request', message, param));
const unsupported = (what: string, param: string) =>
  fail(gatewayError('unsupported_feature', `${what} is not supported by Gemini models.`, param));

/** Request fields with no Gemini equivalent, in plain words. */
const NOT_ON_GEMINI: Record<string, string> = {
  logprobs: 'Log probabilities (logprobs)',
  top_logprobs: 'Log probabilities (top_logprobs)',
  logit_bias: 'Logit bias (logit_bias)',
  audio: 'Audio output (audio)',
  modalities: 'Non-text output (modalities)',
  reasoning_effort: 'Reasoning effort (reasoning_effort)',
  prediction: 'Predicted outputs (prediction)',
  web_search_options: 'Web search (web_search_options)',
  functions: 'Legacy functions (functions)',
  function_call: 'Legacy function_call',
  metadata: 'Stored-completion metadata (metadata)',
  service_tier: 'Service tier (service_tier)',
  store: 'Stored completions (store)',
  verbosity: 'Verbosity (verbosity)',
  safety_identifier: 'Safety identifier (safety_identifier)',
  prompt_cache_key: 'Prompt cache key (prompt_cache_key)',
};

/** Fields translated below, or harmless to leave behind (`user` is an abuse-tracking id with no Gemini twin). */
const HANDLED = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'stop',
  'n',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'presence_penalty',
  'frequency_penalty',
  'seed',
  'user',
]);

/**
 * Adapter side: a canonical chat request as a Gemini `generateContent` call. System and developer messages join
 * `systemInstruction` (in order, wherever they stand); assistant turns become `model` turns and their tool calls
 * `functionCall` parts (arguments parsed to an object, the Gemini signature an id carries restored; see
 * `gemini-thought-signature.ts`); tool messages become `functionResponse` parts named after
 * the call they answer (their text parsed when it is a JSON object, else wrapped as `{result: text}`), grouped
 * into one user turn as Gemini expects. Images must be data URLs (sent as `inlineData`): the gateway does not
 * fetch https images, and Gemini will not. Tool schemas go as `parametersJsonSchema`, JSON output schemas as
 * `responseJsonSchema` (plain JSON Schema, no conversion). What Gemini cannot honour is refused by name. Never
 * throws, whatever the body holds.
 */
export function chatRequestToGemini(
  req: ChatRequestBody,
  upstreamModel: string,
): Result<GeminiUpstreamRequest> {
  if (!isGeminiObject(req)) return invalid('The request body must be a JSON object.', 'body');
  for (const [key, value] of Object.entries(req)) {
    if (value === undefined || value === null || value === false) continue;
    const known = NOT_ON_GEMINI[key];
    if (known !== undefined) return unsupported(known, key);
    if (!HANDLED.has(key)) return unsupported(`The request field '${key}'`, key);
  }
  if (!Array.isArray(req.messages))
    return invalid("Invalid type for 'messages': expected an array.", 'messages');

  const body: GeminiGenerateRequest = { contents: [] };
  const system: GeminiPart[] = [];
  const signaturesRequired = geminiModelNeedsSignatures(upstreamModel);
  const messages: unknown[] = req.messages;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i];
    const at = `messages[${i}]`;
    if (!isGeminiObject(message)) return invalid(`Invalid type for '${at}': expected an object.`, at);
    const role = message.role;
    if (role === 'system' || role === 'developer') {
      const text = textOf(message.content, `${at}.content`);
      if (!text.ok) return text;
      system.push({ text: text.value });
    } else if (role === 'user') {
      const parts = userParts(message.content, `${at}.content`);
      if (!parts.ok) return parts;
      appendTurn(body.contents, 'user', parts.value);
    } else if (role === 'assistant') {
      const parts = assistantParts(message, at, signaturesRequired);
      if (!parts.ok) return parts;
      appendTurn(body.contents, 'model', parts.value);
    } else if (role === 'tool') {
      const part = toolResultPart(message, at, messages, i);
      if (!part.ok) return part;
      appendTurn(body.contents, 'user', [part.value]);
    } else {
      return invalid(`Invalid value for '${at}.role'.`, `${at}.role`);
    }
  }
  if (body.contents.length === 0) {
    return invalid("Invalid 'messages': Gemini needs at least one user or assistant message.", 'messages');
  }
  if (system.length > 0) body.systemInstruction = { parts: system };

  const tools = translateTools(req);
  if (!tools.ok) return tools;
  const config = generationConfig(req);
  if (!config.ok) return config;
  if (Object.keys(config.value).length > 0) body.generationConfig = config.value;

  const stream = req.stream === true;
  const model = /^(models|tunedModels)\//.test(upstreamModel) ? upstreamModel : `models/${upstreamModel}`;
  return ok({
    body,
    method: stream ? 'streamGenerateContent' : 'generateContent',
    path: stream ? `/v1beta/${model}:streamGenerateContent?alt=sse` : `/v1beta/${model}:generateContent`,
  });

  function translateTools(request: ChatRequestBody): Result<null> {
    if (request.tools !== undefined && request.tools !== null) {
      if (!Array.isArray(request.tools))
        return invalid("Invalid type for 'tools': expected an array.", 'tools');
      const declarations: NonNullable<
        NonNullable<GeminiGenerateRequest['tools']>[number]['functionDeclarations']
      > = [];
      const list: unknown[] = request.tools;
      for (let i = 0; i < list.length; i++) {
        const tool = list[i];
        const at = `tools[${i}]`;
        if (!isGeminiObject(tool)) return invalid(`Invalid type for '${at}': expected an object.`, at);
        if (tool.type !== 'function')
          return unsupported(`The tool type '${String(tool.type)}'`, `${at}.type`);
        const fn = tool.function;
        if (!isGeminiObject(fn) || typeof fn.name !== 'string' || fn.name.length === 0) {
          return invalid(
            `Invalid '${at}.function.name': expected a non-empty string.`,
            `${at}.function.name`,
          );
        }
        const declaration: (typeof declarations)[number] = { name: fn.name };
        if (typeof fn.description === 'string') declaration.description = fn.description;
        if (fn.parameters !== undefined && fn.parameters !== null) {
          if (!isGeminiObject(fn.parameters)) {
            return invalid(
              `Invalid type for '${at}.function.parameters': expected an object.`,
              `${at}.function.parameters`,
            );
          }
          declaration.parametersJsonSchema = fn.parameters;
        }
        declarations.push(declaration);
      }
      if (declarations.length > 0) body.tools = [{ functionDeclarations: declarations }];
    }
    if (request.parallel_tool_calls === false) {
      return unsupported(
        'Turning off parallel tool calls (parallel_tool_calls: false)',
        'parallel_tool_calls',
      );
    }
    const choice: unknown = request.tool_choice;
    if (choice === undefined || choice === null) return ok(null);
    if (choice === 'none') body.toolConfig = { functionCallingConfig: { mode: 'NONE' } };
    else if (choice === 'auto') body.toolConfig = { functionCallingConfig: { mode: 'AUTO' } };
    else if (choice === 'required') body.toolConfig = { functionCallingConfig: { mode: 'ANY' } };
    else if (
      isGeminiObject(choice) &&
      choice.type === 'function' &&
      isGeminiObject(choice.function) &&
      typeof choice.function.name === 'string'
    ) {
      body.toolConfig = {
        functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] },
      };
    } else {
      return unsupported('This tool_choice', 'tool_choice');
    }
    return ok(null);
  }
}

/** Consecutive turns of one role become one content: tool results answering one model turn share a user turn. */
function appendTurn(contents: GeminiContent[], role: 'user' | 'model', parts: GeminiPart[]): void {
  if (parts.length === 0) return;
  const last = contents[contents.length - 1];
  if (last && last.role === role) last.parts.push(...parts);
  else contents.push({ role, parts });
}

function textOf(content: unknown, param: string): Result<string> {
  if (typeof content === 'string') return ok(content);
  if (content === null || content === undefined) return ok('');
  if (!Array.isArray(content))
    return invalid(`Invalid type for '${param}': expected a string or an array.`, param);
  let text = '';
  for (let i = 0; i < content.length; i++) {
    const part: unknown = content[i];
    if (!isGeminiObject(part) || part.type !== 'text' || typeof part.text !== 'string') {
      return unsupported('Non-text content here', `${param}[${i}]`);
    }
    text += part.text;
  }
  return ok(text);
}

const DATA_URL = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=\s_-]*)$/i;

function userParts(content: unknown, param: string): Result<GeminiPart[]> {
  if (typeof content === 'string') return ok([{ text: content }]);
  if (!Array.isArray(content))
    return invalid(`Invalid type for '${param}': expected a string or an array.`, param);
  const parts: GeminiPart[] = [];
  for (let i = 0; i < content.length; i++) {
    const part: unknown = content[i];
    const at = `${param}[${i}]`;
    if (!isGeminiObject(part)) return invalid(`Invalid type for '${at}': expected an object.`, at);
    if (part.type === 'text') {
      if (typeof part.text !== 'string')
        return invalid(`Invalid type for '${at}.text': expected a string.`, `${at}.text`);
      parts.push({ text: part.text });
    } else if (part.type === 'image_url') {
      const url = isGeminiObject(part.image_url) ? part.image_url.url : undefined;
      if (typeof url !== 'string') return invalid(`Missing '${at}.image_url.url'.`, `${at}.image_url.url`);
      const match = DATA_URL.exec(url);
      if (!match) {
        return unsupported('An image URL (send the image inline as a data: URL)', `${at}.image_url.url`);
      }
      parts.push({
        inlineData: { mimeType: match[1] as string, data: (match[2] as string).replace(/\s/g, '') },
      });
    } else {
      return unsupported(`The content part type '${String(part.type)}'`, `${at}.type`);
    }
  }
  return ok(parts);
}

function assistantParts(
  message: Record<string, unknown>,
  at: string,
  signaturesRequired: boolean,
): Result<GeminiPart[]> {
  const parts: GeminiPart[] = [];
  if (message.content !== null && message.content !== undefined) {
    const text = textOf(message.content, `${at}.content`);
    if (!text.ok) return text;
    if (text.value.length > 0) parts.push({ text: text.value });
  }
  if (message.audio !== undefined && message.audio !== null)
    return unsupported('Assistant audio', `${at}.audio`);
  const calls = message.tool_calls;
  if (calls === undefined || calls === null) return ok(parts);
  if (!Array.isArray(calls))
    return invalid(`Invalid type for '${at}.tool_calls': expected an array.`, `${at}.tool_calls`);
  for (let j = 0; j < calls.length; j++) {
    const call: unknown = calls[j];
    const callAt = `${at}.tool_calls[${j}]`;
    if (!isGeminiObject(call) || !isGeminiObject(call.function) || typeof call.function.name !== 'string') {
      return invalid(`Invalid '${callAt}': expected a function call with a name.`, callAt);
    }
    const args = parseArguments(call.function.arguments);
    if (args === null) {
      return invalid(
        `Invalid '${callAt}.function.arguments': expected a JSON object.`,
        `${callAt}.function.arguments`,
      );
    }
    const part: GeminiPart = { functionCall: { name: call.function.name, args } };
    const signature = geminiSignatureOf(call.id);
    if (signature !== null) part.thoughtSignature = signature;
    parts.push(part);
  }
  // A turn of calls Gemini did not sign (another model's, or ids the client rewrote) would be refused outright.
  const first = parts.find((part) => part.functionCall);
  if (signaturesRequired && first && !parts.some((part) => part.thoughtSignature)) {
    first.thoughtSignature = GEMINI_SKIP_SIGNATURE;
  }
  return ok(parts);
}

function parseArguments(text: unknown): Record<string, unknown> | null {
  if (text === undefined || text === null || (typeof text === 'string' && text.trim() === '')) return {};
  if (typeof text !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return isGeminiObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function toolResultPart(
  message: Record<string, unknown>,
  at: string,
  messages: unknown[],
  index: number,
): Result<GeminiPart> {
  const id = message.tool_call_id;
  let name: string | null = null;
  // The nearest earlier assistant turn that made this call names the function.
  for (let k = index - 1; k >= 0 && name === null; k--) {
    const earlier = messages[k];
    if (!isGeminiObject(earlier) || earlier.role !== 'assistant' || !Array.isArray(earlier.tool_calls))
      continue;
    for (const call of earlier.tool_calls as unknown[]) {
      if (isGeminiObject(call) && call.id === id && isGeminiObject(call.function)) {
        const callName = call.function.name;
        if (typeof callName === 'string') name = callName;
        break;
      }
    }
  }
  if (name === null && typeof message.name === 'string' && message.name.length > 0) name = message.name;
  if (name === null) {
    return invalid(
      `Invalid '${at}.tool_call_id': it answers no tool call of an earlier assistant message.`,
      `${at}.tool_call_id`,
    );
  }
  const text = textOf(message.content, `${at}.content`);
  if (!text.ok) return text;
  let response: Record<string, unknown> = { result: text.value };
  try {
    const parsed: unknown = JSON.parse(text.value);
    if (isGeminiObject(parsed)) response = parsed;
  } catch {
    // Plain text stays wrapped.
  }
  return ok({ functionResponse: { name, response } });
}

function generationConfig(
  req: ChatRequestBody,
): Result<NonNullable<GeminiGenerateRequest['generationConfig']>> {
  const config: NonNullable<GeminiGenerateRequest['generationConfig']> = {};
  const number = (key: string): Result<number | undefined> => {
    const value = req[key];
    if (value === undefined || value === null) return ok(undefined);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return invalid(`Invalid type for '${key}': expected a number.`, key);
    }
    return ok(value);
  };
  const integer = (key: string, min: number): Result<number | undefined> => {
    const value = number(key);
    if (value.ok && value.value !== undefined && (!Number.isSafeInteger(value.value) || value.value < min)) {
      return invalid(`Invalid '${key}': expected an integer of at least ${min}.`, key);
    }
    return value;
  };
  const temperature = number('temperature');
  if (!temperature.ok) return temperature;
  if (temperature.value !== undefined) config.temperature = temperature.value;
  const topP = number('top_p');
  if (!topP.ok) return topP;
  if (topP.value !== undefined) config.topP = topP.value;
  const presence = number('presence_penalty');
  if (!presence.ok) return presence;
  if (presence.value !== undefined) config.presencePenalty = presence.value;
  const frequency = number('frequency_penalty');
  if (!frequency.ok) return frequency;
  if (frequency.value !== undefined) config.frequencyPenalty = frequency.value;
  const seed = integer('seed', Number.MIN_SAFE_INTEGER);
  if (!seed.ok) return seed;
  if (seed.value !== undefined) config.seed = seed.value;
  const maxKey =
    req.max_completion_tokens !== undefined && req.max_completion_tokens !== null
      ? 'max_completion_tokens'
      : 'max_tokens';
  const max = integer(maxKey, 1);
  if (!max.ok) return max;
  if (max.value !== undefined) config.maxOutputTokens = max.value;
  const n = integer('n', 1);
  if (!n.ok) return n;
  if (n.value !== undefined && n.value > 1) config.candidateCount = n.value;

  const stop: unknown = req.stop;
  if (typeof stop === 'string') config.stopSequences = [stop];
  else if (Array.isArray(stop) && stop.every((s) => typeof s === 'string')) {
    if (stop.length > 0) config.stopSequences = stop;
  } else if (stop !== undefined && stop !== null) {
    return invalid("Invalid type for 'stop': expected a string or an array of strings.", 'stop');
  }

  const format: unknown = req.response_format;
  if (format !== undefined && format !== null) {
    if (!isGeminiObject(format))
      return invalid("Invalid type for 'response_format': expected an object.", 'response_format');
    if (format.type === 'json_object') config.responseMimeType = 'application/json';
    else if (format.type === 'json_schema') {
      const schema = isGeminiObject(format.json_schema) ? format.json_schema.schema : undefined;
      if (!isGeminiObject(schema)) {
        return invalid("Missing 'response_format.json_schema.schema'.", 'response_format.json_schema.schema');
      }
      config.responseMimeType = 'application/json';
      config.responseJsonSchema = schema;
    } else if (format.type !== 'text') {
      return unsupported(`The response format '${String(format.type)}'`, 'response_format.type');
    }
  }
  return ok(config);
}
