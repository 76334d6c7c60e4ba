import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { responsesParamOfChatParam } from './responses-param-of-chat-param';

describe('responsesParamOfChatParam', () => {
  it('names the Responses field each translated chat field came from', () => {
    const cases: [string, string][] = [
      ['response_format.type', 'text.format.type'],
      ['response_format.json_schema.schema', 'text.format.schema'],
      ['response_format', 'text.format'],
      ['reasoning_effort', 'reasoning.effort'],
      ['verbosity', 'text.verbosity'],
      ['max_tokens', 'max_output_tokens'],
      ['max_completion_tokens', 'max_output_tokens'],
      ['messages[2].content[1].image_url.url', 'input'],
      ['messages', 'input'],
      ['tools[1].function.parameters', 'tools[1].parameters'],
      ['tools[0].function', 'tools[0]'],
      ['tools[3].type', 'tools[3].type'],
      ['tool_choice.function.name', 'tool_choice.name'],
      ['tool_choice', 'tool_choice'],
      ['parallel_tool_calls', 'parallel_tool_calls'],
      ['metadata', 'metadata'],
      ['temperature', 'temperature'],
      // Names of Object.prototype's members (CI seed 892283711 drew `__proto__`, answered '[object Object]').
      ['__proto__', '__proto__'],
      ['constructor.name', 'constructor.name'],
      ['to_string', 'to_string'],
    ];
    for (const [chat, responses] of cases) expect(responsesParamOfChatParam(chat)).toBe(responses);
  });

  it('never throws, and leaves a path it has no rule for as it is', () => {
    fc.assert(
      fc.property(fc.string(), (param) => {
        const mapped = responsesParamOfChatParam(param);
        expect(typeof mapped).toBe('string');
        if (
          !/^(messages|response_format|tools|tool_choice|reasoning_effort|verbosity|max_tokens|max_completion_tokens)/.test(
            param,
          )
        )
          expect(mapped).toBe(param);
      }),
    );
  });
});
