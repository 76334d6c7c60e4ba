import { describe, expect, it } from 'vitest';
import { IMAGE_PART_TOKENS, promptTokenUpperBound, TOOL_USE_PROMPT_TOKENS } from './prompt-token-upper-bound';

const bytesOf = (body: unknown) => Buffer.byteLength(JSON.stringify(body));
const bound = (body: Record<string, unknown>) => promptTokenUpperBound(bytesOf(body), body);

describe('promptTokenUpperBound', () => {
  it('is the serialised size of a plain request', () => {
    const body = { model: 'm', messages: [{ role: 'user', content: 'hello there' }] };
    expect(bound(body)).toBe(bytesOf(body));
  });

  it('counts every prompt-bearing field, not message text only', () => {
    const messages = [{ role: 'user', content: 'hi' }];
    const schema = {
      type: 'object',
      properties: { answer: { type: 'string', description: 'x'.repeat(5_000) } },
    };
    const plain = bound({ model: 'm', messages });
    const withFormat = bound({
      model: 'm',
      messages,
      response_format: { type: 'json_schema', json_schema: { name: 'a', schema } },
    });
    expect(withFormat - plain).toBeGreaterThan(5_000);
    const withTools = bound({
      model: 'm',
      messages,
      tools: [{ type: 'function', function: { name: 'f', parameters: schema } }],
    });
    expect(withTools - plain).toBeGreaterThan(5_000 + TOOL_USE_PROMPT_TOKENS);
  });

  it('adds the tool-use prompt once for tools or functions, not for an empty list', () => {
    const base = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
    const fn = { name: 'f', parameters: { type: 'object' } };
    for (const body of [
      { ...base, tools: [{ type: 'function', function: fn }] },
      { ...base, functions: [fn, fn] },
    ]) {
      expect(bound(body)).toBe(bytesOf(body) + TOOL_USE_PROMPT_TOKENS);
    }
    const empty = { ...base, tools: [] };
    expect(bound(empty)).toBe(bytesOf(empty));
  });

  it('adds an allowance per image part, whatever the URL length', () => {
    const body = {
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is in these?' },
            { type: 'image_url', image_url: { url: 'https://x.test/a.png' } },
            { type: 'image_url', image_url: { url: 'https://x.test/b.png', detail: 'high' } },
          ],
        },
        { role: 'assistant', content: null },
        null,
      ],
    };
    expect(bound(body)).toBe(bytesOf(body) + 2 * IMAGE_PART_TOKENS);
  });
});
