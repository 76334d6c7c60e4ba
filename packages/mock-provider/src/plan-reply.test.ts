import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseChatRequest } from './parse-chat-request';
import { planChatReply } from './plan-chat-reply';
import { mockValueForSchema, planReply, type ReplyInput } from './plan-reply';

const BASE: ReplyInput = {
  promptTokens: 5,
  lastUserText: 'hi there',
  toolResultText: undefined,
  tools: [],
  toolChoice: 'auto',
  parallelToolCalls: true,
  maxTokens: undefined,
  format: { type: 'text' },
};
const A = {
  name: 'a',
  parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
};
const B = { name: 'b_tool', parameters: {} };

describe('planReply tool calls', () => {
  it('calls every tool, in order, when the choice is required, parallel calls are allowed and there are several', () => {
    const reply = planReply({ ...BASE, tools: [A, B], toolChoice: 'required' });
    expect(reply).toEqual({
      kind: 'tool_call',
      calls: [
        { name: 'a', arguments: '{"q":"mock"}' },
        { name: 'b_tool', arguments: '{}' },
      ],
      finishReason: 'tool_calls',
      usage: { promptTokens: 5, completionTokens: 4 },
    });
  });

  it('calls only the first tool when parallel calls are off, the choice is auto, or one is forced', () => {
    const names = (input: Partial<ReplyInput>) => {
      const reply = planReply({ ...BASE, tools: [A, B], ...input });
      return reply.kind === 'tool_call' ? reply.calls.map((c) => c.name) : [];
    };
    expect(names({ toolChoice: 'required', parallelToolCalls: false })).toEqual(['a']);
    expect(names({ toolChoice: 'auto' })).toEqual(['a']);
    expect(names({ toolChoice: { name: 'b_tool' } })).toEqual(['b_tool']);
    expect(names({ toolChoice: 'none' })).toEqual([]);
    expect(names({ toolChoice: 'required', toolResultText: '42' })).toEqual([]);
  });

  it('reads parallel_tool_calls, n and response_format from a chat request', () => {
    const parsed = parseChatRequest({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
      n: 3,
      parallel_tool_calls: false,
      response_format: { type: 'json_schema', json_schema: { name: 's', schema: { type: 'array' } } },
    });
    expect(parsed.ok && parsed.value).toMatchObject({
      n: 3,
      parallelToolCalls: false,
      responseFormat: { type: 'json_schema', schema: { type: 'array' } },
    });
    const bad = (body: object) => {
      const result = parseChatRequest({ model: 'm', messages: [{ role: 'user', content: 'x' }], ...body });
      return result.ok ? undefined : result.error.error.param;
    };
    expect(bad({ n: 0 })).toBe('n');
    expect(bad({ n: 1.5 })).toBe('n');
    expect(bad({ response_format: { type: 'yaml' } })).toBe('response_format.type');
    expect(bad({ response_format: { type: 'json_schema' } })).toBe('response_format.json_schema.name');
  });
});

describe('planReply formats', () => {
  it('wraps the text reply as a JSON object for json_object', () => {
    const reply = planReply({ ...BASE, format: { type: 'json_object' } });
    expect(reply.kind === 'text' && JSON.parse(reply.content)).toEqual({
      reply: 'Mock reply to: hi there — this is a deterministic mock completion.',
    });
    expect(reply.usage.completionTokens).toBe(12);
    expect(reply.kind === 'text' && reply.words.join(' ')).toBe(reply.kind === 'text' && reply.content);
  });

  it('answers a value of the schema for json_schema', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
        kind: { enum: ['x', 'y'] },
        nested: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
        optional: { type: 'string' },
      },
      required: ['name', 'tags', 'kind', 'nested'],
      additionalProperties: false,
    };
    const reply = planChatReply(
      (() => {
        const parsed = parseChatRequest({
          model: 'm',
          messages: [{ role: 'user', content: 'x' }],
          response_format: { type: 'json_schema', json_schema: { name: 'thing', schema, strict: true } },
        });
        if (!parsed.ok) throw new Error('bad request');
        return parsed.value;
      })(),
    );
    expect(reply.kind === 'text' && JSON.parse(reply.content)).toEqual({
      name: 'mock',
      tags: [],
      kind: 'x',
      nested: { n: 1 },
    });
  });

  it('produces JSON of the schema type with every required property, for any simple schema', () => {
    const leaf = fc.constantFrom('string', 'number', 'integer', 'boolean', 'array', 'null');
    const schema = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf.map((type) => ({ type })),
        fc
          .dictionary(
            fc.oneof(fc.string({ minLength: 1, maxLength: 6 }), fc.constantFrom('__proto__', 'constructor')),
            tie('node'),
            { maxKeys: 4 },
          )
          .chain((properties) =>
            fc
              .subarray(Object.keys(properties))
              .map((required) => ({ type: 'object', properties, required })),
          ),
      ),
    })).node;
    const typeOf = (value: unknown) =>
      value === null
        ? 'null'
        : Array.isArray(value)
          ? 'array'
          : typeof value === 'object'
            ? 'object'
            : typeof value;
    fc.assert(
      fc.property(schema, (s) => {
        const reply = planReply({ ...BASE, format: { type: 'json_schema', schema: s } });
        if (reply.kind !== 'text') return false;
        const value: unknown = JSON.parse(reply.content);
        const expected = s.type === 'integer' ? 'number' : s.type;
        expect(typeOf(value)).toBe(expected);
        if (s.type === 'object' && 'required' in s) {
          expect(Object.keys(value as object).sort()).toEqual([...s.required].sort());
        }
        expect(value).toEqual(mockValueForSchema(s));
        return true;
      }),
    );
  });
});
