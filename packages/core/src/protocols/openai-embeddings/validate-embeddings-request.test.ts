import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateEmbeddingsRequest } from './validate-embeddings-request';

function paramOf(body: unknown): string | null {
  const result = validateEmbeddingsRequest(body);
  if (result.ok) return null;
  expect(result.error.status).toBe(400);
  return result.error.param;
}

describe('validateEmbeddingsRequest', () => {
  it('names the first bad field', () => {
    expect(paramOf([])).toBe('body');
    expect(paramOf({ input: 'x' })).toBe('model');
    expect(paramOf({ model: '', input: 'x' })).toBe('model');
    expect(paramOf({ model: 'm' })).toBe('input');
    expect(paramOf({ model: 'm', input: '' })).toBe('input');
    expect(paramOf({ model: 'm', input: [] })).toBe('input');
    expect(paramOf({ model: 'm', input: 42 })).toBe('input');
    expect(paramOf({ model: 'm', input: ['a', ''] })).toBe('input[1]');
    expect(paramOf({ model: 'm', input: ['a', [1, -2]] })).toBe('input[1]');
    expect(paramOf({ model: 'm', input: [[]] })).toBe('input[0]');
    expect(paramOf({ model: 'm', input: 'x', encoding_format: 'int8' })).toBe('encoding_format');
    expect(paramOf({ model: 'm', input: 'x', dimensions: 0 })).toBe('dimensions');
    expect(paramOf({ model: 'm', input: 'x', dimensions: 1.5 })).toBe('dimensions');
    expect(paramOf({ model: 'm\u0000', input: 'x' })).toBe('model');
  });

  it('reads texts and token ids of every input form, and asks for no output', () => {
    const one = validateEmbeddingsRequest({ model: 'm', input: 'hello world' });
    expect(one.ok && one.value.unary).toEqual({
      family: 'embeddings',
      texts: ['hello world'],
      tokenIds: 0,
      images: null,
    });
    expect(one.ok && [one.value.maxTokens, one.value.choices, one.value.stream]).toEqual([0, 1, false]);
    const tokens = validateEmbeddingsRequest({ model: 'm', input: [1, 2, 3] });
    expect(tokens.ok && tokens.value.unary?.tokenIds).toBe(3);
    const mixed = validateEmbeddingsRequest({
      model: 'm',
      input: ['a', [4, 5], 'b'],
      encoding_format: 'base64',
    });
    expect(mixed.ok && mixed.value.unary).toMatchObject({ texts: ['a', 'b'], tokenIds: 2 });
  });

  it('passes unknown fields through in the body it returns', () => {
    const body = { model: 'm', input: 'x', dimensions: 8, vendor_extra: { a: 1 } };
    const result = validateEmbeddingsRequest(body);
    expect(result.ok && result.value.body).toBe(body);
  });

  it('never throws, and accepts exactly the well-formed inputs (property)', () => {
    const token = fc.nat({ max: 200_000 });
    const validInput = fc.oneof(
      fc.string({ minLength: 1 }),
      fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 5 }),
      fc.array(token, { minLength: 1, maxLength: 5 }),
      fc.array(fc.array(token, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
    );
    fc.assert(
      fc.property(validInput, fc.constantFrom(undefined, 'float', 'base64'), (input, format) => {
        const result = validateEmbeddingsRequest({ model: 'm', input, encoding_format: format });
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const texts = typeof input === 'string' ? [input] : input.filter((i) => typeof i === 'string');
        expect(result.value.unary?.texts).toEqual(texts);
      }),
    );
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (input, dimensions) => {
        const result = validateEmbeddingsRequest({ model: 'm', input, dimensions });
        if (!result.ok) expect(result.error.param).toMatch(/^(input|dimensions)/);
      }),
    );
  });
});
