import { SYSTEM_FINGERPRINT } from './chat-completion';
import { countWords } from './count-tokens';
import { invalidRequest, type OpenAiErrorBody } from './openai-error';
import { describeType, MAX_CHOICES, MISSING_MODEL } from './parse-chat-request';
import { type ChatReply, planReply } from './plan-reply';

/** What `max_tokens` defaults to on the legacy endpoint, as at OpenAI: replies are often cut. */
export const LEGACY_DEFAULT_MAX_TOKENS = 16;

/** The parts of a legacy `completions` request the answer depends on. */
export interface MockCompletionsRequest {
  model: string;
  /** One entry per prompt (a token-id array reads as its ids joined by spaces). */
  prompts: string[];
  n: number;
  maxTokens: number;
  echo: boolean;
  stream: boolean;
  includeUsage: boolean;
}

export type CompletionsRequestResult =
  | { ok: true; value: MockCompletionsRequest }
  | { ok: false; error: OpenAiErrorBody };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isTokens = (value: unknown): value is number[] =>
  Array.isArray(value) && value.every((v) => Number.isInteger(v));

/** Validates a legacy completions body and names the first bad field. */
export function parseCompletionsRequest(body: unknown): CompletionsRequestResult {
  const fail = (message: string, param: string, code = 'invalid_value'): CompletionsRequestResult => ({
    ok: false,
    error: invalidRequest(message, param, code),
  });
  if (!isObject(body))
    return {
      ok: false,
      error: invalidRequest(
        `Invalid type for 'body': expected an object, but got ${describeType(body)} instead.`,
      ),
    };
  const { model, prompt, n, max_tokens: maxTokens, echo, stream } = body;
  if (model == null) return { ok: false, error: MISSING_MODEL };
  if (typeof model !== 'string')
    return fail(
      `Invalid type for 'model': expected a string, but got ${describeType(model)} instead.`,
      'model',
      'invalid_type',
    );
  let prompts: string[];
  if (prompt == null) prompts = ['<|endoftext|>'];
  else if (typeof prompt === 'string') prompts = [prompt];
  else if (isTokens(prompt)) prompts = [prompt.join(' ')];
  else if (
    Array.isArray(prompt) &&
    prompt.length > 0 &&
    prompt.every((p) => typeof p === 'string' || isTokens(p))
  ) {
    prompts = prompt.map((p) => (typeof p === 'string' ? p : (p as number[]).join(' ')));
  } else
    return fail(
      "Invalid type for 'prompt': expected a string, an array of strings or token arrays.",
      'prompt',
      'invalid_type',
    );
  if (n != null && !(Number.isInteger(n) && (n as number) >= 1 && (n as number) <= MAX_CHOICES)) {
    return fail(`Invalid 'n': expected an integer between 1 and ${MAX_CHOICES}.`, 'n');
  }
  if (maxTokens != null && !(Number.isInteger(maxTokens) && (maxTokens as number) >= 0)) {
    return fail("Invalid 'max_tokens': expected a non-negative integer.", 'max_tokens');
  }
  if (stream != null && typeof stream !== 'boolean')
    return fail(`Invalid type for 'stream': expected a boolean.`, 'stream', 'invalid_type');
  const options = body.stream_options;
  return {
    ok: true,
    value: {
      model,
      prompts,
      n: (n as number | null | undefined) ?? 1,
      maxTokens: (maxTokens as number | null | undefined) ?? LEGACY_DEFAULT_MAX_TOKENS,
      echo: echo === true,
      stream: stream === true,
      includeUsage: stream === true && isObject(options) && options.include_usage === true,
    },
  };
}

/** One planned choice: its text (echoed prompt included) and finish reason. */
export interface LegacyChoice {
  index: number;
  /** The reply words; the text is the echo (when asked) then these joined by spaces. */
  words: string[];
  echo: string;
  finishReason: 'stop' | 'length';
}

/**
 * The choices and usage: for each prompt, `n` copies of the chat rule's text reply to it (`Mock reply to:
 * <prompt> — …`), cut to `max_tokens` words (16 by default). Prompt tokens are the prompts' words; choices
 * are indexed prompt-major (`prompt * n + copy`), like OpenAI.
 */
export function planCompletions(request: MockCompletionsRequest) {
  const choices: LegacyChoice[] = [];
  let promptTokens = 0;
  let completionTokens = 0;
  for (let p = 0; p < request.prompts.length; p++) {
    const prompt = request.prompts[p]!;
    promptTokens += countWords(prompt);
    const reply = planReply({
      promptTokens: 0,
      lastUserText: prompt,
      toolResultText: undefined,
      tools: [],
      toolChoice: 'none',
      parallelToolCalls: false,
      maxTokens: request.maxTokens === 0 ? undefined : request.maxTokens,
      format: { type: 'text' },
    }) as Extract<ChatReply, { kind: 'text' }>;
    const words = request.maxTokens === 0 ? [] : reply.words;
    const finishReason = request.maxTokens === 0 ? 'length' : reply.finishReason;
    for (let copy = 0; copy < request.n; copy++) {
      choices.push({ index: p * request.n + copy, words, echo: request.echo ? prompt : '', finishReason });
      completionTokens += words.length === 0 ? 0 : countWords(words.join(' '));
    }
  }
  return {
    choices,
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}

export type LegacyPlan = ReturnType<typeof planCompletions>;

/** Identity of one legacy completion. */
export interface LegacyMeta {
  /** `cmpl-…` */
  id: string;
  created: number;
  model: string;
}

const choiceText = (choice: LegacyChoice) =>
  choice.echo === ''
    ? choice.words.join(' ')
    : choice.words.length === 0
      ? choice.echo
      : `${choice.echo} ${choice.words.join(' ')}`;

/** The non-streaming `text_completion` body. */
export function buildLegacyCompletion(plan: LegacyPlan, meta: LegacyMeta) {
  return {
    id: meta.id,
    object: 'text_completion',
    created: meta.created,
    model: meta.model,
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: plan.choices.map((choice) => ({
      text: choiceText(choice),
      index: choice.index,
      logprobs: null,
      finish_reason: choice.finishReason,
    })),
    usage: plan.usage,
  };
}

/**
 * The stream: per choice, the echo (when asked) then one chunk per word, the last word carrying the
 * `finish_reason`; with `include_usage`, a last chunk with `choices: []` and the usage. `[DONE]` follows.
 */
export function buildLegacyChunks(plan: LegacyPlan, meta: LegacyMeta, includeUsage: boolean): string[] {
  const head = `data: {"id":"${meta.id}","object":"text_completion","created":${meta.created},"model":${JSON.stringify(meta.model)},"system_fingerprint":"${SYSTEM_FINGERPRINT}","choices":[`;
  const tail = includeUsage ? '],"usage":null}\n\n' : ']}\n\n';
  const events: string[] = [];
  for (const choice of plan.choices) {
    const pieces: string[] = [];
    if (choice.echo !== '') pieces.push(choice.echo);
    for (let i = 0; i < choice.words.length; i++) {
      pieces.push(pieces.length === 0 ? choice.words[i]! : ` ${choice.words[i]!}`);
    }
    if (pieces.length === 0) pieces.push('');
    for (let i = 0; i < pieces.length; i++) {
      const finish = i === pieces.length - 1 ? `"${choice.finishReason}"` : 'null';
      events.push(
        `${head}{"text":${JSON.stringify(pieces[i])},"index":${choice.index},"logprobs":null,"finish_reason":${finish}}${tail}`,
      );
    }
  }
  if (includeUsage) events.push(`${head}],"usage":${JSON.stringify(plan.usage)}}\n\n`);
  return events;
}
