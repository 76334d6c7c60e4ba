import { fail, gatewayError, ok, type Result } from '../../gateway-error';
import type {
  ChatContentPart,
  ChatMessage,
  ChatRequestBody,
  ChatTool,
  ChatToolCall,
  ChatToolChoice,
} from '../canonical-chat';
import { geminiSchemaToJsonSchema } from './gemini-schema-to-json-schema';
import { geminiCamelName, isGeminiObject } from './gemini-wire';

/** Where the Gemini request was sent: the model and method come from the URL, not the body. */
export interface GeminiRequestTarget {
  /** The caller's public model, from `/v1beta/models/{model}:…`. */
  model: string;
  /** `streamGenerateContent` (always answered as SSE). */
  stream: boolean;
}

const invalid = (message: string, param: string) => fail(gatewayError('invalid_request', message, param));
const unsupported = (what: string, param: string) =>
  fail(gatewayError('unsupported_feature', `${what} cannot be translated for this model's provider.`, param));

/** Why a Gemini-only field cannot cross to another protocol, in plain words. */
const GEMINI_ONLY: Record<string, string> = {
  safetySettings: 'Gemini safety settings (safetySettings)',
  cachedContent: 'Gemini cached content (cachedContent)',
  labels: 'Gemini request labels (labels)',
  serviceTier: 'Gemini service tier (serviceTier)',
  store: 'Gemini response storage (store)',
  topK: 'top-k sampling (generationConfig.topK)',
  thinkingConfig: 'Gemini thinking configuration (generationConfig.thinkingConfig)',
  responseLogprobs: 'log probabilities (generationConfig.responseLogprobs)',
  logprobs: 'log probabilities (generationConfig.logprobs)',
  speechConfig: 'speech output (generationConfig.speechConfig)',
  mediaResolution: 'media resolution (generationConfig.mediaResolution)',
  imageConfig: 'image output (generationConfig.imageConfig)',
  responseModalities: 'non-text output (generationConfig.responseModalities)',
  enableEnhancedCivicAnswers: 'enhanced civic answers (generationConfig.enableEnhancedCivicAnswers)',
  audioTimestamp: 'audio timestamps (generationConfig.audioTimestamp)',
  routingConfig: 'Gemini model routing (generationConfig.routingConfig)',
};

interface OpenCall {
  id: string;
  name: string;
}

/**
 * Surface side: a Gemini `generateContent` body as a canonical chat request, validated. `systemInstruction`
 * becomes a system message; `model` turns become assistant messages; `functionCall` parts become tool calls with
 * the call's own `id` or a synthesised, position-stable `call_<n>`; `functionResponse` parts become tool messages
 * answering the call with the same id, else the oldest unanswered call of that name (Gemini matches by name and
 * order), their `response` object as JSON text; images travel as data URLs (`inlineData`) or https URLs
 * (`fileData`). Thought parts (reasoning summaries of earlier turns) are left out, as Gemini itself ignores
 * them. Both camelCase and snake_case field names are read. Gemini-only features are refused with
 * `unsupported_feature`; this translation is only used when the upstream does not speak Gemini.
 */
export function geminiToChatRequest(body: unknown, target: GeminiRequestTarget): Result<ChatRequestBody> {
  if (!isGeminiObject(body)) return invalid('The request body must be a JSON object.', 'body');
  const fields: Record<string, [string, unknown]> = {};
  for (const [key, value] of Object.entries(body)) {
    const name = geminiCamelName(key);
    if (value === undefined || value === null) continue;
    const known = GEMINI_ONLY[name];
    if (known !== undefined) return unsupported(known, key);
    if (
      !['contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig', 'model'].includes(name)
    ) {
      return unsupported(`The Gemini request field '${key}'`, key);
    }
    fields[name] = [key, value];
  }

  const messages: ChatMessage[] = [];
  const system = fields.systemInstruction;
  if (system) {
    const text = readSystemInstruction(system[1], system[0]);
    if (!text.ok) return text;
    messages.push({ role: 'system', content: text.value });
  }

  const contents = fields.contents;
  if (!contents) return invalid("Missing required parameter: 'contents'.", 'contents');
  const contentsKey = contents[0];
  if (!Array.isArray(contents[1]))
    return invalid(`Invalid type for '${contentsKey}': expected an array.`, contentsKey);
  const turns = translateContents(contents[1], contentsKey);
  if (!turns.ok) return turns;
  if (turns.value.length === 0) {
    return invalid(`Invalid '${contentsKey}': expected at least one content with parts.`, contentsKey);
  }
  messages.push(...turns.value);

  const request: ChatRequestBody = { model: target.model, messages };
  if (target.stream) {
    request.stream = true;
    request.stream_options = { include_usage: true };
  }

  let tools: ChatTool[] | undefined;
  if (fields.tools) {
    const read = readTools(fields.tools[1], fields.tools[0]);
    if (!read.ok) return read;
    if (read.value.length > 0) tools = read.value;
  }
  if (fields.toolConfig) {
    const read = readToolConfig(fields.toolConfig[1], fields.toolConfig[0], tools);
    if (!read.ok) return read;
    if (read.value) {
      tools = read.value.tools;
      if (tools) request.tool_choice = read.value.choice;
    }
  }
  if (tools) request.tools = tools;

  if (fields.generationConfig) {
    const applied = applyGenerationConfig(fields.generationConfig[1], fields.generationConfig[0], request);
    if (!applied.ok) return applied;
  }
  return ok(request);
}

function readSystemInstruction(value: unknown, param: string): Result<string> {
  if (typeof value === 'string') return ok(value);
  if (!isGeminiObject(value))
    return invalid(`Invalid type for '${param}': expected a content object.`, param);
  const parts = value.parts;
  if (!Array.isArray(parts))
    return invalid(`Invalid type for '${param}.parts': expected an array.`, `${param}.parts`);
  const texts: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part: unknown = parts[i];
    const at = `${param}.parts[${i}]`;
    if (!isGeminiObject(part)) return invalid(`Invalid type for '${at}': expected an object.`, at);
    if (typeof part.text !== 'string') return unsupported('Non-text parts in the system instruction', at);
    texts.push(part.text);
  }
  return ok(texts.join('\n'));
}

function translateContents(contents: unknown[], param: string): Result<ChatMessage[]> {
  const messages: ChatMessage[] = [];
  let openCalls: OpenCall[] = [];
  let synthesised = 0;
  for (let i = 0; i < contents.length; i++) {
    const content: unknown = contents[i];
    const at = `${param}[${i}]`;
    if (!isGeminiObject(content)) return invalid(`Invalid type for '${at}': expected an object.`, at);
    const role = content.role ?? 'user';
    if (role !== 'user' && role !== 'model' && role !== 'function') {
      return invalid(`Invalid value for '${at}.role': expected 'user' or 'model'.`, `${at}.role`);
    }
    const parts = content.parts;
    if (!Array.isArray(parts))
      return invalid(`Invalid type for '${at}.parts': expected an array.`, `${at}.parts`);

    if (role === 'model') {
      let text = '';
      let hasText = false;
      const calls: ChatToolCall[] = [];
      for (let j = 0; j < parts.length; j++) {
        const partAt = `${at}.parts[${j}]`;
        const part = readPart(parts[j], partAt);
        if (!part.ok) return part;
        const { kind, value } = part.value;
        if (kind === 'thought') continue;
        if (kind === 'text') {
          text += value as string;
          hasText = true;
        } else if (kind === 'functionCall') {
          const call = readFunctionCall(value, `${partAt}.${part.value.key}`);
          if (!call.ok) return call;
          const id = call.value.id ?? `call_${synthesised++}`;
          calls.push({
            id,
            type: 'function',
            function: { name: call.value.name, arguments: JSON.stringify(call.value.args) },
          });
        } else {
          return unsupported(`A '${part.value.key}' part in a model turn`, `${partAt}.${part.value.key}`);
        }
      }
      openCalls = calls.map((call) => ({ id: call.id, name: call.function.name }));
      if (!hasText && calls.length === 0) continue;
      const message: ChatMessage = { role: 'assistant', content: hasText ? text : null };
      if (calls.length > 0) message.tool_calls = calls;
      messages.push(message);
      continue;
    }

    const userParts: ChatContentPart[] = [];
    const answers: ChatMessage[] = [];
    for (let j = 0; j < parts.length; j++) {
      const partAt = `${at}.parts[${j}]`;
      const part = readPart(parts[j], partAt);
      if (!part.ok) return part;
      const { kind, value, key } = part.value;
      const fieldAt = `${partAt}.${key}`;
      if (kind === 'thought') continue;
      if (kind === 'text') {
        userParts.push({ type: 'text', text: value as string });
      } else if (kind === 'inlineData') {
        const image = readInlineData(value, fieldAt);
        if (!image.ok) return image;
        userParts.push(image.value);
      } else if (kind === 'fileData') {
        const image = readFileData(value, fieldAt);
        if (!image.ok) return image;
        userParts.push(image.value);
      } else if (kind === 'functionResponse') {
        const response = readFunctionResponse(value, fieldAt);
        if (!response.ok) return response;
        const { name, id } = response.value;
        let index = id === undefined ? -1 : openCalls.findIndex((call) => call.id === id);
        if (index < 0) index = openCalls.findIndex((call) => call.name === name);
        const call = openCalls[index];
        if (!call) {
          return invalid(
            `Invalid '${fieldAt}': the function response '${name}' answers no function call of the previous model turn.`,
            fieldAt,
          );
        }
        openCalls.splice(index, 1);
        answers.push({
          role: 'tool',
          tool_call_id: call.id,
          content: JSON.stringify(response.value.response),
        });
      } else {
        return unsupported(`A '${key}' part in a user turn`, fieldAt);
      }
    }
    // OpenAI wants tool results right after the assistant turn that asked for them.
    messages.push(...answers);
    if (userParts.length > 0) {
      const only = userParts[0];
      messages.push({
        role: 'user',
        content: userParts.length === 1 && only?.type === 'text' ? only.text : userParts,
      });
    }
  }
  return ok(messages);
}

type PartKind =
  | 'text'
  | 'thought'
  | 'inlineData'
  | 'fileData'
  | 'functionCall'
  | 'functionResponse'
  | 'other';

const DATA_FIELDS: ReadonlySet<string> = new Set([
  'text',
  'inlineData',
  'fileData',
  'functionCall',
  'functionResponse',
]);

/**
 * Which data field a part carries (exactly one). `thoughtSignature` is an opaque Gemini token and is let go; a part
 * holding nothing else (Gemini 3 sends such parts) is skipped like a thought. Any other field (`videoMetadata`,
 * `executableCode`, …) is returned as `other` for the caller to refuse by name.
 */
function readPart(part: unknown, param: string): Result<{ kind: PartKind; key: string; value: unknown }> {
  if (!isGeminiObject(part)) return invalid(`Invalid type for '${param}': expected an object.`, param);
  let found: { kind: PartKind; key: string; value: unknown } | null = null;
  let thought = false;
  let signed = false;
  for (const [key, value] of Object.entries(part)) {
    if (value === undefined || value === null) continue;
    const name = geminiCamelName(key);
    if (name === 'thoughtSignature') {
      signed = true;
      continue;
    }
    if (name === 'thought') {
      thought = value === true;
      continue;
    }
    if (!DATA_FIELDS.has(name)) return ok({ kind: 'other', key, value });
    if (found) return invalid(`Invalid '${param}': a part carries exactly one of text, inlineData, …`, param);
    found = { kind: name as PartKind, key, value };
  }
  if (!found) {
    if (thought || signed) return ok({ kind: 'thought', key: 'thought', value: null });
    return invalid(`Invalid '${param}': the part is empty.`, param);
  }
  if (found.kind === 'text' && typeof found.value !== 'string') {
    return invalid(`Invalid type for '${param}.${found.key}': expected a string.`, `${param}.${found.key}`);
  }
  if (thought && found.kind === 'text') return ok({ ...found, kind: 'thought' });
  return ok(found);
}

function readInlineData(value: unknown, param: string): Result<ChatContentPart> {
  if (!isGeminiObject(value)) return invalid(`Invalid type for '${param}': expected an object.`, param);
  const mimeType = value.mimeType ?? value.mime_type;
  const data = value.data;
  if (typeof mimeType !== 'string') return invalid(`Missing '${param}.mimeType'.`, `${param}.mimeType`);
  if (typeof data !== 'string') return invalid(`Missing '${param}.data'.`, `${param}.data`);
  if (!/^image\/[a-z0-9.+-]+$/i.test(mimeType)) return unsupported(`Inline '${mimeType}' data`, param);
  return ok({ type: 'image_url', image_url: { url: `data:${mimeType};base64,${data}` } });
}

function readFileData(value: unknown, param: string): Result<ChatContentPart> {
  if (!isGeminiObject(value)) return invalid(`Invalid type for '${param}': expected an object.`, param);
  const mimeType = value.mimeType ?? value.mime_type;
  const uri = value.fileUri ?? value.file_uri;
  if (typeof uri !== 'string') return invalid(`Missing '${param}.fileUri'.`, `${param}.fileUri`);
  if (
    mimeType !== undefined &&
    (typeof mimeType !== 'string' || !mimeType.toLowerCase().startsWith('image/'))
  ) {
    return unsupported(`A '${String(mimeType)}' file reference`, param);
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return invalid(`Invalid '${param}.fileUri': expected a URL.`, `${param}.fileUri`);
  }
  // Files API references only resolve with the caller's Google credentials.
  if (url.protocol !== 'https:' || url.hostname.endsWith('googleapis.com')) {
    return unsupported('A Gemini file reference (fileData that is not a public https image URL)', param);
  }
  return ok({ type: 'image_url', image_url: { url: uri } });
}

function readFunctionCall(
  value: unknown,
  param: string,
): Result<{ name: string; args: Record<string, unknown>; id?: string }> {
  if (!isGeminiObject(value)) return invalid(`Invalid type for '${param}': expected an object.`, param);
  if (typeof value.name !== 'string' || value.name.length === 0) {
    return invalid(`Invalid '${param}.name': expected a non-empty string.`, `${param}.name`);
  }
  const args = value.args ?? {};
  if (!isGeminiObject(args))
    return invalid(`Invalid type for '${param}.args': expected an object.`, `${param}.args`);
  const result: { name: string; args: Record<string, unknown>; id?: string } = { name: value.name, args };
  if (typeof value.id === 'string' && value.id.length > 0) result.id = value.id;
  return ok(result);
}

function readFunctionResponse(
  value: unknown,
  param: string,
): Result<{ name: string; response: Record<string, unknown>; id?: string }> {
  if (!isGeminiObject(value)) return invalid(`Invalid type for '${param}': expected an object.`, param);
  if (typeof value.name !== 'string' || value.name.length === 0) {
    return invalid(`Invalid '${param}.name': expected a non-empty string.`, `${param}.name`);
  }
  const response = value.response ?? {};
  if (!isGeminiObject(response)) {
    return invalid(`Invalid type for '${param}.response': expected an object.`, `${param}.response`);
  }
  const parts = value.parts;
  if (Array.isArray(parts) && parts.length > 0)
    return unsupported('Multimodal function responses', `${param}.parts`);
  const result: { name: string; response: Record<string, unknown>; id?: string } = {
    name: value.name,
    response,
  };
  if (typeof value.id === 'string' && value.id.length > 0) result.id = value.id;
  return ok(result);
}

function readTools(value: unknown, param: string): Result<ChatTool[]> {
  if (!Array.isArray(value)) return invalid(`Invalid type for '${param}': expected an array.`, param);
  const tools: ChatTool[] = [];
  for (let i = 0; i < value.length; i++) {
    const tool: unknown = value[i];
    const at = `${param}[${i}]`;
    if (!isGeminiObject(tool)) return invalid(`Invalid type for '${at}': expected an object.`, at);
    for (const [key, declarations] of Object.entries(tool)) {
      const keyAt = `${at}.${key}`;
      if (declarations === undefined || declarations === null) continue;
      if (geminiCamelName(key) !== 'functionDeclarations')
        return unsupported(`The Gemini tool '${key}'`, keyAt);
      if (!Array.isArray(declarations))
        return invalid(`Invalid type for '${keyAt}': expected an array.`, keyAt);
      for (let j = 0; j < declarations.length; j++) {
        const declaration = readDeclaration(declarations[j], `${keyAt}[${j}]`);
        if (!declaration.ok) return declaration;
        tools.push(declaration.value);
      }
    }
  }
  return ok(tools);
}

function readDeclaration(value: unknown, param: string): Result<ChatTool> {
  if (!isGeminiObject(value)) return invalid(`Invalid type for '${param}': expected an object.`, param);
  const fn: ChatTool['function'] = { name: '' };
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined || field === null) continue;
    const at = `${param}.${key}`;
    const name = geminiCamelName(key);
    if (name === 'name') {
      if (typeof field !== 'string' || field.length === 0) {
        return invalid(`Invalid '${at}': expected a non-empty string.`, at);
      }
      fn.name = field;
    } else if (name === 'description') {
      if (typeof field !== 'string') return invalid(`Invalid type for '${at}': expected a string.`, at);
      fn.description = field;
    } else if (name === 'parameters') {
      if (fn.parameters)
        return invalid(`Invalid '${param}': set parameters or parametersJsonSchema, not both.`, at);
      const schema = geminiSchemaToJsonSchema(field, at);
      if (!schema.ok) return schema;
      fn.parameters = schema.value;
    } else if (name === 'parametersJsonSchema') {
      if (fn.parameters)
        return invalid(`Invalid '${param}': set parameters or parametersJsonSchema, not both.`, at);
      if (!isGeminiObject(field)) return invalid(`Invalid type for '${at}': expected an object.`, at);
      fn.parameters = field;
    } else if (name === 'response' || name === 'responseJsonSchema') {
      // The declared result schema only documents the function for Gemini; OpenAI tools have no such field.
    } else {
      return unsupported(`The function declaration field '${key}'`, at);
    }
  }
  if (fn.name === '') return invalid(`Missing required parameter: '${param}.name'.`, `${param}.name`);
  return ok({ type: 'function', function: fn });
}

function readToolConfig(
  value: unknown,
  param: string,
  tools: ChatTool[] | undefined,
): Result<{ choice: ChatToolChoice; tools: ChatTool[] | undefined } | null> {
  if (!isGeminiObject(value)) return invalid(`Invalid type for '${param}': expected an object.`, param);
  let config: Record<string, unknown> | null = null;
  let configAt = '';
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined || field === null) continue;
    if (geminiCamelName(key) !== 'functionCallingConfig') {
      return unsupported(`The tool configuration '${key}'`, `${param}.${key}`);
    }
    configAt = `${param}.${key}`;
    if (!isGeminiObject(field))
      return invalid(`Invalid type for '${configAt}': expected an object.`, configAt);
    config = field;
  }
  if (!config) return ok(null);
  const mode = config.mode ?? 'AUTO';
  const allowed = config.allowedFunctionNames ?? config.allowed_function_names;
  const allowedAt = `${configAt}.allowedFunctionNames`;
  if (allowed !== undefined && (!Array.isArray(allowed) || !allowed.every((n) => typeof n === 'string'))) {
    return invalid(`Invalid type for '${allowedAt}': expected an array of strings.`, allowedAt);
  }
  const names = (allowed ?? []) as string[];
  if (mode === 'AUTO' || mode === 'MODE_UNSPECIFIED' || mode === 'NONE') {
    if (names.length > 0) return invalid(`Invalid '${allowedAt}': only allowed with mode ANY.`, allowedAt);
    return ok({ choice: mode === 'NONE' ? 'none' : 'auto', tools });
  }
  if (mode === 'VALIDATED') return unsupported("Function calling mode 'VALIDATED'", `${configAt}.mode`);
  if (mode !== 'ANY') return invalid(`Invalid value for '${configAt}.mode'.`, `${configAt}.mode`);
  if (names.length === 0) return ok({ choice: 'required', tools });
  const declared = new Set((tools ?? []).map((tool) => tool.function.name));
  const missing = names.find((name) => !declared.has(name));
  if (missing !== undefined) {
    return invalid(`Invalid '${allowedAt}': '${missing}' is not a declared function.`, allowedAt);
  }
  const [only] = names;
  if (names.length === 1 && only !== undefined) {
    return ok({ choice: { type: 'function', function: { name: only } }, tools });
  }
  // "Call one of these": the same as offering only these and requiring a call.
  const allowedSet = new Set(names);
  return ok({
    choice: 'required',
    tools: (tools ?? []).filter((tool) => allowedSet.has(tool.function.name)),
  });
}

function applyGenerationConfig(value: unknown, param: string, request: ChatRequestBody): Result<null> {
  if (!isGeminiObject(value)) return invalid(`Invalid type for '${param}': expected an object.`, param);
  let mimeType: string | undefined;
  let schema: Record<string, unknown> | undefined;
  let schemaAt = '';
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined || field === null) continue;
    const at = `${param}.${key}`;
    const name = geminiCamelName(key);
    const number = () => typeof field === 'number' && Number.isFinite(field);
    const integer = (min: number) => typeof field === 'number' && Number.isSafeInteger(field) && field >= min;
    switch (name) {
      case 'temperature':
        if (!number()) return invalid(`Invalid type for '${at}': expected a number.`, at);
        request.temperature = field as number;
        break;
      case 'topP':
        if (!number()) return invalid(`Invalid type for '${at}': expected a number.`, at);
        request.top_p = field as number;
        break;
      case 'presencePenalty':
        if (!number()) return invalid(`Invalid type for '${at}': expected a number.`, at);
        request.presence_penalty = field;
        break;
      case 'frequencyPenalty':
        if (!number()) return invalid(`Invalid type for '${at}': expected a number.`, at);
        request.frequency_penalty = field;
        break;
      case 'seed':
        if (!integer(Number.MIN_SAFE_INTEGER))
          return invalid(`Invalid type for '${at}': expected an integer.`, at);
        request.seed = field;
        break;
      case 'maxOutputTokens':
        if (!integer(1)) return invalid(`Invalid '${at}': expected a positive integer.`, at);
        request.max_tokens = field as number;
        break;
      case 'candidateCount':
        if (!integer(1)) return invalid(`Invalid '${at}': expected a positive integer.`, at);
        if (field !== 1) request.n = field as number;
        break;
      case 'stopSequences':
        if (!Array.isArray(field) || !field.every((s) => typeof s === 'string')) {
          return invalid(`Invalid type for '${at}': expected an array of strings.`, at);
        }
        if (field.length > 0) request.stop = field as string[];
        break;
      case 'responseMimeType':
        if (typeof field !== 'string') return invalid(`Invalid type for '${at}': expected a string.`, at);
        if (field !== 'text/plain' && field !== 'application/json') {
          return unsupported(`The response type '${field}'`, at);
        }
        mimeType = field;
        break;
      case 'responseSchema': {
        if (schema)
          return invalid(`Invalid '${param}': set responseSchema or responseJsonSchema, not both.`, at);
        const converted = geminiSchemaToJsonSchema(field, at);
        if (!converted.ok) return converted;
        schema = converted.value;
        schemaAt = at;
        break;
      }
      case 'responseJsonSchema':
        if (schema)
          return invalid(`Invalid '${param}': set responseSchema or responseJsonSchema, not both.`, at);
        if (!isGeminiObject(field)) return invalid(`Invalid type for '${at}': expected an object.`, at);
        schema = field;
        schemaAt = at;
        break;
      case 'responseModalities':
        if (Array.isArray(field) && field.every((m) => m === 'TEXT')) break;
        return unsupported(GEMINI_ONLY.responseModalities ?? name, at);
      default:
        return unsupported(GEMINI_ONLY[name] ?? `The generation setting '${key}'`, at);
    }
  }
  if (schema && mimeType !== 'application/json') {
    return invalid(
      `Invalid '${schemaAt}': a response schema needs responseMimeType 'application/json'.`,
      schemaAt,
    );
  }
  if (mimeType === 'application/json') {
    request.response_format = schema
      ? { type: 'json_schema', json_schema: { name: 'response', schema } }
      : { type: 'json_object' };
  }
  return ok(null);
}
