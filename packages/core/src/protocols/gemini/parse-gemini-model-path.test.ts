import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGeminiModelPath } from './parse-gemini-model-path';

describe('parseGeminiModelPath', () => {
  it.each([
    ['/v1beta/models/gemini-2.5-flash:generateContent', 'gemini-2.5-flash', 'generateContent'],
    [
      '/v1beta/models/gemini-2.0-flash-001:streamGenerateContent?alt=sse',
      'gemini-2.0-flash-001',
      'streamGenerateContent',
    ],
    ['/v1beta/models/text-embedding-004:embedContent', 'text-embedding-004', 'embedContent'],
    [
      '/v1beta/models/text-embedding-004:batchEmbedContents?key=abc',
      'text-embedding-004',
      'batchEmbedContents',
    ],
    ['/v1/models/gemini-1.5-pro:countTokens', 'gemini-1.5-pro', 'countTokens'],
    ['/v1beta/models/openai/gpt-4o:generateContent', 'openai/gpt-4o', 'generateContent'],
    ['/v1beta/models/my%20model:generateContent', null, null],
    ['/v1beta/models/fast_v1.2:generateContent', 'fast_v1.2', 'generateContent'],
  ])('reads %s', (path, model, method) => {
    expect(parseGeminiModelPath(path)).toEqual(model === null ? null : { model, method });
  });

  it.each([
    '/v1beta/models/gemini-2.5-flash:generateAnswer',
    '/v1beta/models/gemini-2.5-flash',
    '/v1beta/models/:generateContent',
    '/v1beta/models/../../admin:generateContent',
    '/v1beta/tunedModels/x:generateContent',
    '/v1/chat/completions',
    '/v1beta/models/%E0%A4%A:generateContent',
  ])('refuses %s', (path) => {
    expect(parseGeminiModelPath(path)).toBeNull();
  });

  it('reads back any model name the SDK would put in a path', () => {
    const model = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._\-/]{0,40}$/).filter((m) => !m.includes('..'));
    const method = fc.constantFrom('generateContent', 'streamGenerateContent', 'embedContent', 'countTokens');
    fc.assert(
      fc.property(model, method, (m, verb) => {
        expect(parseGeminiModelPath(`/v1beta/models/${m}:${verb}?alt=sse`)).toEqual({
          model: m,
          method: verb,
        });
      }),
    );
    fc.assert(
      fc.property(fc.string(), (path) => {
        const parsed = parseGeminiModelPath(path);
        expect(parsed === null || parsed.model.length > 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
