import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anthropicParamOfChatParam } from './anthropic-param-of-chat-param';

describe('anthropicParamOfChatParam', () => {
  it('names the Anthropic field each translated chat field came from', () => {
    const cases: [string, string][] = [
      ['stop', 'stop_sequences'],
      ['user', 'metadata.user_id'],
      ['parallel_tool_calls', 'tool_choice.disable_parallel_tool_use'],
      ['tools[1].function.parameters', 'tools[1].input_schema'],
      ['tools[1].function.parameters.properties', 'tools[1].input_schema.properties'],
      ['tools[0].function.name', 'tools[0].name'],
      ['tool_choice.function.name', 'tool_choice'],
      ['messages[3].content[1]', 'messages'],
      ['max_completion_tokens', 'max_tokens'],
      ['max_tokens', 'max_tokens'],
      ['temperature', 'temperature'],
    ];
    for (const [chat, anthropic] of cases) expect(anthropicParamOfChatParam(chat)).toBe(anthropic);
  });

  it('never throws on any path', () => {
    fc.assert(fc.property(fc.string(), (param) => typeof anthropicParamOfChatParam(param) === 'string'));
  });
});
