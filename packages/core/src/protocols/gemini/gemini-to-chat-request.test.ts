import { FunctionCallingConfigMode, GoogleGenAI, Type } from '@google/genai';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chatRequestToGemini } from './chat-request-to-gemini';
import sdkRequest from './fixtures/sdk-generate-request.json';
import { geminiToChatRequest } from './gemini-to-chat-request';

const target = { model: 'public-model', stream: false };

/** What @google/genai puts on the wire, captured by handing it a fetch that records and answers. */
async function sdkBody(call: (ai: GoogleGenAI) => Promise<unknown>): Promise<unknown> {
  let body: unknown;
  const ai = new GoogleGenAI({
    apiKey: 'test-key',
    httpOptions: {
      baseUrl: 'http://gateway.test',
      fetch: async (_url, init) => {
        body = JSON.parse(String(init?.body));
        const answer = {
          candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP' }],
        };
        return new Response(JSON.stringify(answer), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      },
    },
  });
  await call(ai);
  return body;
}

describe('geminiToChatRequest', () => {
  it('translates what @google/genai sends: system, images, multi-turn tools, config', async () => {
    const body = await sdkBody((ai) =>
      ai.models.generateContent({
        model: 'gemini-2.5-flash',
        contents: [
          {
            role: 'user',
            parts: [
              { text: 'What is the weather in Paris? Here is a photo.' },
              { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
            ],
          },
          { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
          {
            role: 'user',
            parts: [{ functionResponse: { name: 'get_weather', response: { temperature: 21, unit: 'C' } } }],
          },
        ],
        config: {
          systemInstruction: 'You are terse.',
          temperature: 0.2,
          topP: 0.9,
          maxOutputTokens: 256,
          stopSequences: ['END'],
          candidateCount: 2,
          responseMimeType: 'application/json',
          responseJsonSchema: {
            type: 'object',
            properties: { answer: { type: 'string' } },
            required: ['answer'],
          },
          tools: [
            {
              functionDeclarations: [
                {
                  name: 'get_weather',
                  description: 'Weather for a city',
                  parameters: {
                    type: Type.OBJECT,
                    properties: {
                      city: { type: Type.STRING, description: 'City name' },
                      days: { type: Type.INTEGER, nullable: true },
                    },
                    required: ['city'],
                    propertyOrdering: ['city', 'days'],
                  },
                },
                {
                  name: 'get_time',
                  parametersJsonSchema: { type: 'object', properties: { tz: { type: 'string' } } },
                },
              ],
            },
          ],
          toolConfig: {
            functionCallingConfig: {
              mode: FunctionCallingConfigMode.ANY,
              allowedFunctionNames: ['get_weather'],
            },
          },
        },
      }),
    );
    // The recorded fixture is what this SDK version sends; a new version that changes the wire shows up here.
    expect(body).toEqual(sdkRequest);
    const result = geminiToChatRequest(body, target);
    expect(result).toEqual({
      ok: true,
      value: {
        model: 'public-model',
        messages: [
          { role: 'system', content: 'You are terse.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is the weather in Paris? Here is a photo.' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            ],
          },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_0',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_0', content: '{"temperature":21,"unit":"C"}' },
        ],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Weather for a city',
              parameters: {
                type: 'object',
                properties: {
                  city: { type: 'string', description: 'City name' },
                  days: { type: ['integer', 'null'] },
                },
                required: ['city'],
              },
            },
          },
          {
            type: 'function',
            function: {
              name: 'get_time',
              parameters: { type: 'object', properties: { tz: { type: 'string' } } },
            },
          },
        ],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        temperature: 0.2,
        top_p: 0.9,
        n: 2,
        max_tokens: 256,
        stop: ['END'],
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'response',
            schema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] },
          },
        },
      },
    });
  });

  it('reads snake_case field names the same as camelCase', () => {
    const camel = geminiToChatRequest(sdkRequest, target);
    const snake = geminiToChatRequest(
      {
        system_instruction: { parts: [{ text: 'You are terse.' }] },
        contents: [
          {
            role: 'user',
            parts: [
              { text: 'What is the weather in Paris? Here is a photo.' },
              { inline_data: { mime_type: 'image/png', data: 'iVBORw0KGgo=' } },
            ],
          },
          { role: 'model', parts: [{ function_call: { name: 'get_weather', args: { city: 'Paris' } } }] },
          {
            role: 'user',
            parts: [{ function_response: { name: 'get_weather', response: { temperature: 21, unit: 'C' } } }],
          },
        ],
        tools: [{ function_declarations: sdkRequest.tools[0]?.functionDeclarations }],
        tool_config: { function_calling_config: { mode: 'ANY', allowed_function_names: ['get_weather'] } },
        generation_config: {
          temperature: 0.2,
          top_p: 0.9,
          candidate_count: 2,
          max_output_tokens: 256,
          stop_sequences: ['END'],
          response_mime_type: 'application/json',
          response_json_schema: sdkRequest.generationConfig.responseJsonSchema,
        },
      },
      target,
    );
    expect(camel.ok).toBe(true);
    expect(snake).toEqual(camel);
  });

  it('streams with usage when the method is streamGenerateContent', () => {
    const result = geminiToChatRequest(
      { contents: [{ parts: [{ text: 'hi' }] }] },
      { model: 'm', stream: true },
    );
    expect(result).toEqual({
      ok: true,
      value: {
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        stream_options: { include_usage: true },
      },
    });
  });

  it('answers parallel calls by id, else by name in order, and puts tool results before the user text', () => {
    const result = geminiToChatRequest(
      {
        contents: [
          { role: 'user', parts: [{ text: 'weather in Paris and Lyon, and the time' }] },
          {
            role: 'model',
            parts: [
              { text: 'Checking.' },
              { text: 'hidden reasoning', thought: true },
              { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
              { functionCall: { name: 'get_weather', args: { city: 'Lyon' } } },
              { functionCall: { name: 'get_time', args: {}, id: 'fc-7' }, thoughtSignature: 'c2ln' },
            ],
          },
          {
            role: 'user',
            parts: [
              { functionResponse: { name: 'get_time', id: 'fc-7', response: { now: '12:00' } } },
              { functionResponse: { name: 'get_weather', response: { t: 20 } } },
              { functionResponse: { name: 'get_weather', response: { t: 18 } } },
              { text: 'thanks' },
            ],
          },
        ],
      },
      target,
    );
    expect(result.ok && result.value.messages).toEqual([
      { role: 'user', content: 'weather in Paris and Lyon, and the time' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          {
            id: 'call_0',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } },
          { id: 'fc-7', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'fc-7', content: '{"now":"12:00"}' },
      { role: 'tool', tool_call_id: 'call_0', content: '{"t":20}' },
      { role: 'tool', tool_call_id: 'call_1', content: '{"t":18}' },
      { role: 'user', content: 'thanks' },
    ]);
  });

  it('maps function calling modes to tool_choice', () => {
    const tools = [{ functionDeclarations: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }];
    const choose = (functionCallingConfig: object) =>
      geminiToChatRequest(
        { contents: [{ parts: [{ text: 'x' }] }], tools, toolConfig: { functionCallingConfig } },
        target,
      );
    const pick = (r: ReturnType<typeof choose>) =>
      r.ok ? [r.value.tool_choice, r.value.tools?.map((t) => t.function.name)] : r.error.code;
    expect(pick(choose({ mode: 'AUTO' }))).toEqual(['auto', ['a', 'b', 'c']]);
    expect(pick(choose({ mode: 'NONE' }))).toEqual(['none', ['a', 'b', 'c']]);
    expect(pick(choose({ mode: 'ANY' }))).toEqual(['required', ['a', 'b', 'c']]);
    expect(pick(choose({ mode: 'ANY', allowedFunctionNames: ['a', 'c'] }))).toEqual(['required', ['a', 'c']]);
    expect(pick(choose({ mode: 'ANY', allowedFunctionNames: ['z'] }))).toBe('invalid_request');
    expect(pick(choose({ mode: 'VALIDATED' }))).toBe('unsupported_feature');
  });

  it('maps https image fileData to an image URL and refuses Files API references and other media', () => {
    const one = (part: object) =>
      geminiToChatRequest({ contents: [{ role: 'user', parts: [part] }] }, target);
    const image = one({ fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/cat.jpg' } });
    expect(image.ok && image.value.messages[0]?.content).toEqual([
      { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
    ]);
    const files = one({
      fileData: {
        mimeType: 'image/jpeg',
        fileUri: 'https://generativelanguage.googleapis.com/v1beta/files/abc',
      },
    });
    expect(!files.ok && [files.error.code, files.error.param]).toEqual([
      'unsupported_feature',
      'contents[0].parts[0].fileData',
    ]);
    const audio = one({ inlineData: { mimeType: 'audio/wav', data: 'AAAA' } });
    expect(!audio.ok && [audio.error.code, audio.error.param, audio.error.message]).toEqual([
      'unsupported_feature',
      'contents[0].parts[0].inlineData',
      "Inline 'audio/wav' data cannot be translated for this model's provider.",
    ]);
  });

  it('translates presence and frequency penalties and seed rather than refusing them', () => {
    const result = geminiToChatRequest(
      {
        contents: [{ parts: [{ text: 'x' }] }],
        generationConfig: {
          presencePenalty: 0.5,
          frequencyPenalty: -0.25,
          seed: 7,
          responseMimeType: 'application/json',
        },
      },
      target,
    );
    expect(result.ok && result.value).toMatchObject({
      presence_penalty: 0.5,
      frequency_penalty: -0.25,
      seed: 7,
      response_format: { type: 'json_object' },
    });
  });

  it.each([
    [
      { safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }] },
      'safetySettings',
    ],
    [{ cachedContent: 'cachedContents/abc' }, 'cachedContent'],
    [{ generationConfig: { topK: 40 } }, 'generationConfig.topK'],
    [{ generationConfig: { thinkingConfig: { thinkingBudget: 0 } } }, 'generationConfig.thinkingConfig'],
    [{ generationConfig: { responseLogprobs: true } }, 'generationConfig.responseLogprobs'],
    [{ generationConfig: { responseModalities: ['AUDIO'] } }, 'generationConfig.responseModalities'],
    [{ tools: [{ googleSearch: {} }] }, 'tools[0].googleSearch'],
    [{ tools: [{ codeExecution: {} }] }, 'tools[0].codeExecution'],
  ])('refuses Gemini-only %j as unsupported_feature naming %s', (extra, param) => {
    const result = geminiToChatRequest({ contents: [{ parts: [{ text: 'x' }] }], ...extra }, target);
    expect(!result.ok && [result.error.code, result.error.status, result.error.param]).toEqual([
      'unsupported_feature',
      400,
      param,
    ]);
  });

  it.each([
    [{}, 'contents'],
    [{ contents: [] }, 'contents'],
    [{ contents: [{ role: 'system', parts: [{ text: 'x' }] }] }, 'contents[0].role'],
    [{ contents: [{ parts: [{ text: 1 }] }] }, 'contents[0].parts[0].text'],
    [
      { contents: [{ parts: [{ functionResponse: { name: 'f', response: {} } }] }] },
      'contents[0].parts[0].functionResponse',
    ],
    [
      { contents: [{ parts: [{ text: 'x' }] }], generationConfig: { maxOutputTokens: 0 } },
      'generationConfig.maxOutputTokens',
    ],
    [
      {
        contents: [{ parts: [{ text: 'x' }] }],
        generationConfig: { responseJsonSchema: { type: 'object' } },
      },
      'generationConfig.responseJsonSchema',
    ],
  ])('refuses malformed %j as invalid_request naming %s', (body, param) => {
    const result = geminiToChatRequest(body, target);
    expect(!result.ok && [result.error.code, result.error.param]).toEqual(['invalid_request', param]);
  });

  it('never throws and always answers a Result, whatever the body', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const result = geminiToChatRequest(body, target);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
    // And over bodies shaped like Gemini requests, so the deeper paths are reached.
    const part = fc.oneof(
      fc.record({ text: fc.jsonValue() }),
      fc.record({ inlineData: fc.jsonValue() }),
      fc.record({ fileData: fc.jsonValue() }),
      fc.record({ functionCall: fc.jsonValue() }),
      fc.record({ functionResponse: fc.jsonValue() }),
      fc.dictionary(fc.string(), fc.jsonValue()),
    );
    const content = fc.record({
      role: fc.oneof(fc.constantFrom('user', 'model'), fc.jsonValue()),
      parts: fc.array(part),
    });
    fc.assert(
      fc.property(
        fc.record(
          {
            contents: fc.array(content),
            systemInstruction: fc.jsonValue(),
            tools: fc.oneof(
              fc.jsonValue(),
              fc.array(fc.record({ functionDeclarations: fc.array(fc.jsonValue()) })),
            ),
            toolConfig: fc.oneof(fc.jsonValue(), fc.record({ functionCallingConfig: fc.jsonValue() })),
            generationConfig: fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue())),
          },
          { requiredKeys: ['contents'] },
        ),
        (body) => {
          expect(typeof geminiToChatRequest(body, target).ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('geminiToChatRequest parts', () => {
  it('skips signature-only parts and refuses other part fields by name', () => {
    const signed = geminiToChatRequest(
      {
        contents: [
          { role: 'user', parts: [{ text: 'hi' }] },
          { role: 'model', parts: [{ text: 'hello' }, { thoughtSignature: 'c2ln' }] },
          { role: 'user', parts: [{ text: 'again' }] },
        ],
      },
      { model: 'm', stream: false },
    );
    expect(signed.ok && signed.value.messages.map((m) => m.content)).toEqual(['hi', 'hello', 'again']);
    const video = geminiToChatRequest(
      {
        contents: [
          {
            parts: [
              {
                fileData: { mimeType: 'video/mp4', fileUri: 'https://example.com/v.mp4' },
                videoMetadata: { fps: 1 },
              },
            ],
          },
        ],
      },
      { model: 'm', stream: false },
    );
    expect(!video.ok && [video.error.code, video.error.param]).toEqual([
      'unsupported_feature',
      'contents[0].parts[0].videoMetadata',
    ]);
    const code = geminiToChatRequest(
      {
        contents: [{ role: 'model', parts: [{ executableCode: { language: 'PYTHON', code: 'print(1)' } }] }],
      },
      { model: 'm', stream: false },
    );
    expect(!code.ok && [code.error.code, code.error.param]).toEqual([
      'unsupported_feature',
      'contents[0].parts[0].executableCode',
    ]);
  });
});

// ---- round trip: Gemini → canonical → Gemini keeps the supported subset ----

const jsonObject = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), {
  maxKeys: 3,
});
const name = fc.constantFrom('get_weather', 'get_time', 'lookup');
const userParts = fc.array(
  fc.oneof(
    fc.string({ maxLength: 20 }).map((text) => ({ text })),
    fc
      .tuple(fc.constantFrom('image/png', 'image/jpeg'), fc.base64String({ minLength: 4, maxLength: 16 }))
      .map(([mimeType, data]) => ({ inlineData: { mimeType, data } })),
  ),
  { minLength: 1, maxLength: 3 },
);
/** A model turn and the user turn after it (answers to its calls first, then optional text). */
const exchange = fc
  .tuple(
    fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
    fc.array(fc.tuple(name, jsonObject, jsonObject), { maxLength: 3 }),
    fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
  )
  .filter(([text, calls]) => text !== undefined || calls.length > 0)
  .map(([text, calls, after]) => {
    const model = {
      role: 'model',
      parts: [
        ...(text === undefined ? [] : [{ text }]),
        ...calls.map(([fn, args]) => ({ functionCall: { name: fn, args } })),
      ],
    };
    const user = [
      ...calls.map(([fn, , response]) => ({ functionResponse: { name: fn, response } })),
      ...(after === undefined ? [] : [{ text: after }]),
    ];
    return user.length > 0 ? [model, { role: 'user', parts: user }] : [model];
  });

describe('Gemini → canonical → Gemini', () => {
  it('keeps system instruction, turns, images, calls, responses, tools and settings', () => {
    const request = fc
      .record(
        {
          system: fc.string({ maxLength: 20 }),
          first: userParts,
          rest: fc.array(exchange, { maxLength: 3 }),
          tools: fc.uniqueArray(name, { minLength: 1, maxLength: 3 }),
          mode: fc.constantFrom('AUTO', 'ANY', 'NONE'),
          generationConfig: fc.record(
            {
              temperature: fc.double({ min: 0, max: 2, noNaN: true }),
              topP: fc.double({ min: 0, max: 1, noNaN: true }),
              maxOutputTokens: fc.integer({ min: 1, max: 8192 }),
              stopSequences: fc.array(fc.string({ minLength: 1, maxLength: 4 }), {
                minLength: 1,
                maxLength: 4,
              }),
              candidateCount: fc.integer({ min: 2, max: 4 }),
              presencePenalty: fc.double({ min: -2, max: 2, noNaN: true }),
              seed: fc.integer(),
            },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: ['first', 'rest'] },
      )
      .map(({ system, first, rest, tools, mode, generationConfig }) => {
        const contents = [{ role: 'user', parts: first }];
        for (const turns of rest) {
          // Keep roles alternating: a model turn after a user turn only.
          if (contents.at(-1)?.role !== 'user') contents.push({ role: 'user', parts: [{ text: 'go on' }] });
          contents.push(...(turns as typeof contents));
        }
        const body: Record<string, unknown> = { contents };
        if (system !== undefined) body.systemInstruction = { parts: [{ text: system }] };
        if (tools) {
          body.tools = [
            {
              functionDeclarations: tools.map((fn) => ({
                name: fn,
                parametersJsonSchema: { type: 'object' },
              })),
            },
          ];
          if (mode) body.toolConfig = { functionCallingConfig: { mode } };
        }
        if (generationConfig && Object.keys(generationConfig).length > 0)
          body.generationConfig = generationConfig;
        return body;
      });
    fc.assert(
      fc.property(request, (body) => {
        const canonical = geminiToChatRequest(body, { model: 'public', stream: false });
        if (!canonical.ok) throw new Error(JSON.stringify(canonical.error));
        const back = chatRequestToGemini(canonical.value, 'gemini-2.5-flash');
        if (!back.ok) throw new Error(JSON.stringify(back.error));
        // Compared as the JSON both are sent as: a call's arguments travel as JSON text, where JSON.parse's -0
        // (fc.jsonValue makes it) is written 0.
        expect(asSent(back.value.body)).toEqual(asSent(body));
      }),
      { numRuns: 300 },
    );
  });
});

/** A value as the JSON text it is sent as reads back. */
function asSent(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}
