import { z } from 'zod';

/** The onboarding runbook's four smoke tests, in the order the playground runs them. */
export const SMOKE_TESTS = ['chat', 'stream', 'tools', 'bad-model'] as const;
export type SmokeTest = (typeof SMOKE_TESTS)[number];

/** A model name no route serves: the bad-model test expects the router's clean 404. */
export const BAD_MODEL = 'playground-no-such-model';
export const SMOKE_PROMPT = 'Say hello to Switchyard from the playground';

/** The body the browser posts to /api/playground/<test>; the requests themselves are fixed here. */
export const smokeTestBody = z.object({
  session: z.string().min(1).max(8_000),
  model: z.string().min(1).max(200),
});

/** What a router answer said about itself: the readback headers and the measured time. */
export interface RouterCallMetadata {
  /** `request`, or for the tools round trip `tool call` and `tool result`. */
  step: string;
  status: number;
  requestId: string | null;
  route: string | null;
  servedProvider: string | null;
  servedModel: string | null;
  attempts: number | null;
  /** Wall time of the call as the dashboard server saw it. */
  latencyMs: number;
  promptTokens: number | null;
  completionTokens: number | null;
}

export interface SmokeTestResult {
  test: Exclude<SmokeTest, 'stream'>;
  /** True when the router answered as the runbook expects (the bad-model test expects a 404 model_not_found). */
  passed: boolean;
  calls: RouterCallMetadata[];
  /** The reply text, or the tool call and the final reply, or the error message. */
  output: string;
  error: { status: number; code: string | null; message: string } | null;
}

/** Readback headers a streamed answer is relayed with (the browser reads them before the first chunk). */
export const RELAYED_HEADERS = [
  'x-request-id',
  'x-switchyard-route',
  'x-switchyard-provider',
  'x-switchyard-model',
  'x-switchyard-attempts',
] as const;

export function metadataFromHeaders(step: string, status: number, headers: Headers, latencyMs: number) {
  const attempts = headers.get('x-switchyard-attempts');
  return {
    step,
    status,
    requestId: headers.get('x-request-id'),
    route: headers.get('x-switchyard-route'),
    servedProvider: headers.get('x-switchyard-provider'),
    servedModel: headers.get('x-switchyard-model'),
    attempts: attempts === null ? null : Number(attempts),
    latencyMs,
  };
}

const chatAnswer = z.object({
  choices: z.array(
    z.object({
      message: z.object({
        content: z.string().nullable().optional(),
        tool_calls: z
          .array(
            z.object({ id: z.string(), function: z.object({ name: z.string(), arguments: z.string() }) }),
          )
          .optional(),
      }),
    }),
  ),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});
type ChatAnswer = z.infer<typeof chatAnswer>;

const errorAnswer = z.object({ error: z.object({ message: z.string(), code: z.string().nullish() }) });

export const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
} as const;

/** POSTs a chat completion to the router with the run's key. */
export async function postChat(routerUrl: string, apiKey: string, body: object, signal?: AbortSignal) {
  const started = performance.now();
  const res = await fetch(`${routerUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${apiKey}`,
      'content-type': 'application/json',
      'x-switchyard-metadata': JSON.stringify({ source: 'playground' }),
    },
    body: JSON.stringify(body),
    signal: signal ?? AbortSignal.timeout(60_000),
  });
  return { res, started };
}

type Step =
  | { ok: true; meta: RouterCallMetadata; answer: ChatAnswer }
  | { ok: false; meta: RouterCallMetadata; error: NonNullable<SmokeTestResult['error']> };

async function chatStep(routerUrl: string, apiKey: string, step: string, body: object): Promise<Step> {
  const { res, started } = await postChat(routerUrl, apiKey, body);
  const text = await res.text();
  const base = metadataFromHeaders(step, res.status, res.headers, Math.round(performance.now() - started));
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const answer = res.ok ? chatAnswer.safeParse(json) : null;
  if (answer?.success) {
    const usage = answer.data.usage;
    return {
      ok: true,
      meta: {
        ...base,
        promptTokens: usage?.prompt_tokens ?? null,
        completionTokens: usage?.completion_tokens ?? null,
      },
      answer: answer.data,
    };
  }
  const problem = errorAnswer.safeParse(json);
  return {
    ok: false,
    meta: { ...base, promptTokens: null, completionTokens: null },
    error: {
      status: res.status,
      code: problem.success ? (problem.data.error.code ?? null) : null,
      message: problem.success ? problem.data.error.message : text.slice(0, 500) || `HTTP ${res.status}`,
    },
  };
}

function failed(test: SmokeTestResult['test'], calls: RouterCallMetadata[], step: Step & { ok: false }) {
  return { test, passed: false, calls, output: step.error.message, error: step.error };
}

/** Runs one non-streaming smoke test against the router with the run's key. */
export async function runSmokeTest(
  test: SmokeTestResult['test'],
  routerUrl: string,
  apiKey: string,
  model: string,
): Promise<SmokeTestResult> {
  if (test === 'bad-model') {
    const step = await chatStep(routerUrl, apiKey, 'request', {
      model: BAD_MODEL,
      messages: [{ role: 'user', content: SMOKE_PROMPT }],
    });
    if (step.ok)
      return {
        test,
        passed: false,
        calls: [step.meta],
        output: 'The router served a model that should not exist.',
        error: null,
      };
    return {
      test,
      passed: step.error.status === 404 && step.error.code === 'model_not_found',
      calls: [step.meta],
      output: step.error.message,
      error: step.error,
    };
  }
  if (test === 'chat') {
    const step = await chatStep(routerUrl, apiKey, 'request', {
      model,
      messages: [{ role: 'user', content: SMOKE_PROMPT }],
    });
    if (!step.ok) return failed(test, [step.meta], step);
    const content = step.answer.choices[0]?.message.content ?? '';
    return { test, passed: content.length > 0, calls: [step.meta], output: content, error: null };
  }
  const messages: object[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
  const first = await chatStep(routerUrl, apiKey, 'tool call', { model, messages, tools: [WEATHER_TOOL] });
  if (!first.ok) return failed(test, [first.meta], first);
  const message = first.answer.choices[0]?.message;
  const call = message?.tool_calls?.[0];
  if (!message || !call) {
    return {
      test,
      passed: false,
      calls: [first.meta],
      output: 'The model answered without calling the tool.',
      error: null,
    };
  }
  const result = JSON.stringify({ temperature_c: 21, conditions: 'sunny' });
  messages.push(
    {
      role: 'assistant',
      content: message.content ?? null,
      tool_calls: message.tool_calls?.map((c) => ({ ...c, type: 'function' })),
    },
    { role: 'tool', tool_call_id: call.id, content: result },
  );
  const second = await chatStep(routerUrl, apiKey, 'tool result', { model, messages, tools: [WEATHER_TOOL] });
  if (!second.ok) return failed(test, [first.meta, second.meta], second);
  const final = second.answer.choices[0]?.message.content ?? '';
  return {
    test,
    passed: final.length > 0,
    calls: [first.meta, second.meta],
    output: `→ ${call.function.name}(${call.function.arguments})\n← ${result}\n${final}`,
    error: null,
  };
}
