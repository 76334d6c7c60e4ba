/**
 * The Gemini API (AI Studio, `generativelanguage.googleapis.com/v1beta`) wire shapes the translators read and
 * write, as `@google/genai` sends and receives them: camelCase JSON (the SDK's `converters` keep camelCase for the
 * Gemini Developer API). Google's REST layer also accepts snake_case (proto JSON), so inbound readers accept
 * both spellings through {@link geminiField}. Only the fields the gateway translates are typed.
 */

/** One part of a Gemini content. Exactly one of the data fields is set. */
export interface GeminiPart {
  text?: string;
  /** A reasoning summary (`includeThoughts`); never part of the answer's text. */
  thought?: boolean;
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  fileData?: { mimeType?: string; fileUri: string };
  functionCall?: { name: string; args?: Record<string, unknown>; id?: string };
  functionResponse?: { name: string; response: Record<string, unknown>; id?: string };
  [field: string]: unknown;
}

export interface GeminiContent {
  role?: 'user' | 'model' | 'function';
  parts: GeminiPart[];
}

export interface GeminiFunctionDeclaration {
  name: string;
  description?: string;
  /** Google's OpenAPI-subset schema (`type: 'OBJECT'`, …). */
  parameters?: Record<string, unknown>;
  /** A plain JSON Schema; what the gateway sends upstream. */
  parametersJsonSchema?: unknown;
}

export type GeminiFunctionCallingMode = 'AUTO' | 'ANY' | 'NONE' | 'VALIDATED' | 'MODE_UNSPECIFIED';

/** A `models/{model}:generateContent` (and `:streamGenerateContent`) request body. */
export interface GeminiGenerateRequest {
  contents: GeminiContent[];
  systemInstruction?: GeminiContent;
  tools?: { functionDeclarations?: GeminiFunctionDeclaration[] }[];
  toolConfig?: {
    functionCallingConfig?: { mode?: GeminiFunctionCallingMode; allowedFunctionNames?: string[] };
  };
  generationConfig?: {
    temperature?: number;
    topP?: number;
    maxOutputTokens?: number;
    stopSequences?: string[];
    candidateCount?: number;
    presencePenalty?: number;
    frequencyPenalty?: number;
    seed?: number;
    responseMimeType?: string;
    responseJsonSchema?: unknown;
  };
}

/** Gemini's finish reasons (google.ai.generativelanguage Candidate.FinishReason). */
export type GeminiFinishReason =
  | 'FINISH_REASON_UNSPECIFIED'
  | 'STOP'
  | 'MAX_TOKENS'
  | 'SAFETY'
  | 'RECITATION'
  | 'LANGUAGE'
  | 'OTHER'
  | 'BLOCKLIST'
  | 'PROHIBITED_CONTENT'
  | 'SPII'
  | 'MALFORMED_FUNCTION_CALL'
  | 'IMAGE_SAFETY'
  | 'UNEXPECTED_TOOL_CALL'
  | 'TOO_MANY_TOOL_CALLS'
  | (string & {});

export interface GeminiUsageMetadata {
  /** Prompt tokens, cached ones included. */
  promptTokenCount?: number;
  /** Answer tokens, thoughts EXCLUDED. */
  candidatesTokenCount?: number;
  /** prompt + candidates + thoughts + tool-use prompt. */
  totalTokenCount?: number;
  /** Part of `promptTokenCount` read from the context cache. */
  cachedContentTokenCount?: number;
  /** Reasoning tokens, billed by Google as output. */
  thoughtsTokenCount?: number;
  /** Prompt tokens of tool-use results (e.g. grounding), billed as input. */
  toolUsePromptTokenCount?: number;
}

export interface GeminiCandidate {
  content?: { role?: 'model'; parts?: GeminiPart[] };
  finishReason?: GeminiFinishReason;
  index?: number;
}

/** A generateContent answer, and one chunk of a `streamGenerateContent?alt=sse` stream. */
export interface GeminiGenerateResponse {
  candidates?: GeminiCandidate[];
  usageMetadata?: GeminiUsageMetadata;
  modelVersion?: string;
  responseId?: string;
}

/** Google's error body: `{"error":{"code":400,"message":"…","status":"INVALID_ARGUMENT"}}`. */
export interface GeminiErrorBody {
  error: { code: number; message: string; status: string; details?: Record<string, unknown>[] };
}

/**
 * A field of a Gemini JSON object under its camelCase name or its snake_case twin (`systemInstruction` /
 * `system_instruction`): Google's REST layer accepts both, so a hand-written client may send either.
 */
export function geminiField(object: Record<string, unknown>, camelName: string): unknown {
  const value = object[camelName];
  if (value !== undefined) return value;
  const snake = camelName.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  return snake === camelName ? undefined : object[snake];
}

/** The snake_case spelling of a camelCase field name. */
export function geminiSnakeName(camelName: string): string {
  return camelName.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** The camelCase spelling of a possibly snake_case field name. */
export function geminiCamelName(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

export function isGeminiObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
