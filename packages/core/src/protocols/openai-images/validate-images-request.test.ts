import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IMAGE_QUALITIES, validateImagesRequest } from './validate-images-request';

function errorOf(body: unknown): [string, string | null] | null {
  const result = validateImagesRequest(body);
  if (result.ok) return null;
  expect(result.error.status).toBe(400);
  return [result.error.code, result.error.param];
}

describe('validateImagesRequest', () => {
  it('names the first bad field', () => {
    expect(errorOf('x')).toEqual(['invalid_request', 'body']);
    expect(errorOf({ prompt: 'a cat' })).toEqual(['invalid_request', 'model']);
    expect(errorOf({ model: 'm' })).toEqual(['invalid_request', 'prompt']);
    expect(errorOf({ model: 'm', prompt: '  ' })).toEqual(['invalid_request', 'prompt']);
    expect(errorOf({ model: 'm', prompt: 'p', n: 0 })).toEqual(['invalid_request', 'n']);
    expect(errorOf({ model: 'm', prompt: 'p', n: 11 })).toEqual(['invalid_request', 'n']);
    expect(errorOf({ model: 'm', prompt: 'p', n: '2' })).toEqual(['invalid_request', 'n']);
    expect(errorOf({ model: 'm', prompt: 'p', size: 'big' })).toEqual(['invalid_request', 'size']);
    expect(errorOf({ model: 'm', prompt: 'p', quality: 'ultra' })).toEqual(['invalid_request', 'quality']);
    expect(errorOf({ model: 'm', prompt: 'p', response_format: 'png' })).toEqual([
      'invalid_request',
      'response_format',
    ]);
    expect(errorOf({ model: 'm', prompt: 'p', stream: true })).toEqual(['unsupported_feature', 'stream']);
  });

  it('reads the images asked for, `auto` where the size or quality is left unset', () => {
    const plain = validateImagesRequest({ model: 'm', prompt: 'a red fox' });
    expect(plain.ok && plain.value.unary).toEqual({
      family: 'images',
      texts: ['a red fox'],
      tokenIds: 0,
      images: { count: 1, size: 'auto', quality: 'auto' },
    });
    const three = validateImagesRequest({ model: 'm', prompt: 'p', n: 3, size: '512x512', quality: 'hd' });
    expect(three.ok && three.value.unary?.images).toEqual({ count: 3, size: '512x512', quality: 'hd' });
    expect(three.ok && three.value.choices).toBe(3);
  });

  it('never throws, and accepts every valid n, size and quality (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 4096 }),
        fc.integer({ min: 1, max: 4096 }),
        fc.constantFrom(...IMAGE_QUALITIES),
        (n, w, h, quality) => {
          const result = validateImagesRequest({ model: 'm', prompt: 'p', n, size: `${w}x${h}`, quality });
          expect(result.ok && result.value.unary?.images).toEqual({ count: n, size: `${w}x${h}`, quality });
        },
      ),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (extra) => {
        const result = validateImagesRequest({ ...extra, model: 'm', prompt: 'p' });
        if (!result.ok) expect(result.error.param).toMatch(/^(n|size|quality|response_format|stream)$/);
      }),
    );
  });
});
