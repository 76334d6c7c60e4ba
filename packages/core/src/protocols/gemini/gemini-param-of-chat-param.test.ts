import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { geminiParamOfChatParam } from './gemini-param-of-chat-param';

describe('geminiParamOfChatParam', () => {
  it('names the Gemini field each translated chat field came from', () => {
    const cases: [string, string][] = [
      ['n', 'generationConfig.candidateCount'],
      ['max_tokens', 'generationConfig.maxOutputTokens'],
      ['stop', 'generationConfig.stopSequences'],
      ['top_p', 'generationConfig.topP'],
      ['presence_penalty', 'generationConfig.presencePenalty'],
      ['response_format.type', 'generationConfig.responseMimeType'],
      ['response_format.json_schema.schema', 'generationConfig.responseJsonSchema'],
      ['messages[1].content[0].image_url.url', 'contents'],
      ['tools[2].function.parameters', 'tools'],
      ['tool_choice', 'toolConfig.functionCallingConfig'],
      ['metadata', 'metadata'],
    ];
    for (const [chat, gemini] of cases) expect(geminiParamOfChatParam(chat)).toBe(gemini);
  });

  it('never throws on any path', () => {
    fc.assert(fc.property(fc.string(), (param) => typeof geminiParamOfChatParam(param) === 'string'));
  });
});
