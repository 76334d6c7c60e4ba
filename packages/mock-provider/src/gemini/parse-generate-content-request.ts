import { countWords, TOKENS_PER_MESSAGE } from '../count-tokens';
import type { MockTool, ReplyFormat, ReplyInput } from '../plan-reply';
import { type GeminiErrorBody, geminiInvalidArgument } from './gemini-error';

/** The parts of a `generateContent` request the mock's answer depends on. Unknown fields are ignored. */
export interface MockGenerateContentRequest {
  /** `generationConfig.candidateCount`, 1 by default. */
  candidateCount: number;
  reply: ReplyInput;
}

export type GenerateContentRequestResult =
  | { ok: true; value: MockGenerateContentRequest }
  | { ok: false; error: GeminiErrorBody };

/** Most candidates the mock answers (Gemini allows up to 8). */
export const MAX_CANDIDATES = 8;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const fail = (message: string): { ok: false; error: GeminiErrorBody } => ({
  ok: false,
  error: geminiInvalidArgument(message),
});

/**
 * The text of a content's parts: `text` parts, and the JSON of `functionResponse.response` (what a tool
 * result says), joined by spaces. Inline data and function calls count nothing.
 */
export function geminiPartsText(parts: unknown): string {
  if (!Array.isArray(parts)) return '';
  const texts: string[] = [];
  for (const part of parts) {
    if (!isObject(part)) continue;
    if (typeof part.text === 'string') texts.push(part.text);
    else if (isObject(part.functionResponse))
      texts.push(JSON.stringify(part.functionResponse.response ?? {}));
  }
  return texts.join(' ');
}

/** `systemInstruction` is a Content, or (leniently, as the REST API accepts) a string. */
function systemText(system: unknown): string | undefined {
  if (system == null) return undefined;
  if (typeof system === 'string') return system;
  return isObject(system) ? geminiPartsText(system.parts) : '';
}

/**
 * Prompt tokens, the chat rule in Gemini's shape: the system instruction counts as one message
 * (3 + its words) when present, then every content 3 + the words of `geminiPartsText`.
 */
export function countGeminiPromptTokens(
  system: unknown,
  contents: ReadonlyArray<{ parts?: unknown }>,
): number {
  const text = systemText(system);
  let tokens = text === undefined ? 0 : TOKENS_PER_MESSAGE + countWords(text);
  for (const content of contents) tokens += TOKENS_PER_MESSAGE + countWords(geminiPartsText(content.parts));
  return tokens;
}

/** Validates `contents` like Google (`* GenerateContentRequest.contents: contents is not specified`). */
export function checkContents(
  contents: unknown,
  field = 'GenerateContentRequest.contents',
): GeminiErrorBody | undefined {
  if (contents === undefined || (Array.isArray(contents) && contents.length === 0)) {
    return geminiInvalidArgument(`* ${field}: contents is not specified\n`);
  }
  if (!Array.isArray(contents))
    return geminiInvalidArgument(`Invalid JSON payload received. Unknown name "contents": expected a list.`);
  for (let i = 0; i < contents.length; i++) {
    const content: unknown = contents[i];
    if (!isObject(content)) return geminiInvalidArgument(`* ${field}[${i}]: expected an object\n`);
    if (
      content.role !== undefined &&
      content.role !== 'user' &&
      content.role !== 'model' &&
      content.role !== 'function'
    ) {
      return geminiInvalidArgument('Please use a valid role: user, model.');
    }
    if (!Array.isArray(content.parts) || content.parts.length === 0) {
      return geminiInvalidArgument(`* ${field}[${i}].parts: contents.parts must not be empty.\n`);
    }
  }
  return undefined;
}

function parseTools(tools: unknown): MockTool[] | { ok: false; error: GeminiErrorBody } {
  if (tools == null) return [];
  if (!Array.isArray(tools))
    return fail('Invalid JSON payload received. Unknown name "tools": expected a list.');
  const parsed: MockTool[] = [];
  for (let i = 0; i < tools.length; i++) {
    const tool: unknown = tools[i];
    if (!isObject(tool)) return fail(`* GenerateContentRequest.tools[${i}]: expected an object\n`);
    if (tool.functionDeclarations == null) continue; // googleSearch, codeExecution, …: not called by the mock
    if (!Array.isArray(tool.functionDeclarations)) {
      return fail(`* GenerateContentRequest.tools[${i}].function_declarations: expected a list\n`);
    }
    for (let j = 0; j < tool.functionDeclarations.length; j++) {
      const fn: unknown = tool.functionDeclarations[j];
      if (!isObject(fn) || typeof fn.name !== 'string' || fn.name === '') {
        return fail(
          `* GenerateContentRequest.tools[${i}].function_declarations[${j}].name: Name cannot be empty.\n`,
        );
      }
      parsed.push({ name: fn.name, parameters: fn.parametersJsonSchema ?? fn.parameters });
    }
  }
  return parsed;
}

/**
 * `toolConfig.functionCallingConfig`: `NONE` → none; `ANY` → required, restricted to
 * `allowedFunctionNames` (one allowed name forces it); `AUTO`, `VALIDATED` or nothing → auto.
 */
function parseToolConfig(
  config: unknown,
  tools: MockTool[],
): { tools: MockTool[]; toolChoice: ReplyInput['toolChoice'] } | { ok: false; error: GeminiErrorBody } {
  const calling =
    isObject(config) && isObject(config.functionCallingConfig) ? config.functionCallingConfig : {};
  const mode = typeof calling.mode === 'string' ? calling.mode.toUpperCase() : 'AUTO';
  if (mode === 'NONE') return { tools, toolChoice: 'none' };
  if (mode !== 'ANY') return { tools, toolChoice: 'auto' };
  const allowed = Array.isArray(calling.allowedFunctionNames) ? calling.allowedFunctionNames : undefined;
  if (allowed === undefined || allowed.length === 0) return { tools, toolChoice: 'required' };
  const restricted = tools.filter((tool) => allowed.includes(tool.name));
  if (restricted.length === 0) {
    return fail(
      '* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names: no such function.\n',
    );
  }
  return restricted.length === 1
    ? { tools: restricted, toolChoice: { name: restricted[0]!.name } }
    : { tools: restricted, toolChoice: 'required' };
}

function parseFormat(config: Record<string, unknown>): ReplyFormat {
  const schema = config.responseJsonSchema ?? config.responseSchema;
  if (schema !== undefined) return { type: 'json_schema', schema };
  return config.responseMimeType === 'application/json' ? { type: 'json_object' } : { type: 'text' };
}

/** Validates a `generateContent` body and reads what the reply depends on. */
export function parseGenerateContentRequest(body: unknown): GenerateContentRequestResult {
  if (!isObject(body)) return fail('Invalid JSON payload received. Expected an object.');
  const contentsProblem = checkContents(body.contents);
  if (contentsProblem !== undefined) return { ok: false, error: contentsProblem };
  const contents = body.contents as Record<string, unknown>[];
  const config = isObject(body.generationConfig) ? body.generationConfig : {};
  const { maxOutputTokens, candidateCount } = config;
  if (maxOutputTokens != null && !(Number.isInteger(maxOutputTokens) && (maxOutputTokens as number) >= 1)) {
    return fail(
      '* GenerateContentRequest.generation_config.max_output_tokens: must be a positive integer.\n',
    );
  }
  if (
    candidateCount != null &&
    !(
      Number.isInteger(candidateCount) &&
      (candidateCount as number) >= 1 &&
      (candidateCount as number) <= MAX_CANDIDATES
    )
  ) {
    return fail(
      `* GenerateContentRequest.generation_config.candidate_count: must be between 1 and ${MAX_CANDIDATES}.\n`,
    );
  }
  const declared = parseTools(body.tools);
  if (!Array.isArray(declared)) return declared;
  const tooling = parseToolConfig(body.toolConfig, declared);
  if ('ok' in tooling) return tooling;

  const last = contents[contents.length - 1]!;
  const lastParts = Array.isArray(last.parts) ? (last.parts as unknown[]) : [];
  const responses = lastParts.filter((part) => isObject(part) && isObject(part.functionResponse));
  let lastUserText = '';
  for (let i = contents.length - 1; i >= 0; i--) {
    const content = contents[i]!;
    if (content.role === undefined || content.role === 'user') {
      const parts = Array.isArray(content.parts) ? content.parts : [];
      lastUserText = geminiPartsText(parts.filter((part) => isObject(part) && typeof part.text === 'string'));
      if (lastUserText !== '') break;
    }
  }
  return {
    ok: true,
    value: {
      candidateCount: (candidateCount as number | null | undefined) ?? 1,
      reply: {
        promptTokens: countGeminiPromptTokens(body.systemInstruction, contents),
        lastUserText,
        toolResultText: responses.length === 0 ? undefined : geminiPartsText(responses),
        tools: tooling.tools,
        toolChoice: tooling.toolChoice,
        parallelToolCalls: true,
        maxTokens: (maxOutputTokens as number | null | undefined) ?? undefined,
        format: parseFormat(config),
      },
    },
  };
}
