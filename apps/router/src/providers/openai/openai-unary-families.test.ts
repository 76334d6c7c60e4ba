import { isUsageReportComplete } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import embeddings from './__fixtures__/embeddings.float.json';
import dallE from './__fixtures__/images.dall-e-3.url.json';
import gptImage from './__fixtures__/images.gpt-image-1.b64.json';
import { openAiEmbeddingsFamily, openAiImagesFamily } from './openai-unary-families';

const call = { baseUrl: 'http://upstream/v1', credential: 'sk-up', upstreamModel: 'up-model' };

describe('OpenAI unary families', () => {
  it('sends embeddings and images to their paths with the caller body and the upstream model', () => {
    const body = { model: 'public', input: 'x', encoding_format: 'base64', vendor_extra: 1 };
    const built = openAiEmbeddingsFamily.buildCall({ ...call, body, form: 'native' });
    expect(built.ok && built.value.url).toBe('http://upstream/v1/embeddings');
    expect(built.ok && JSON.parse(built.value.body)).toEqual({ ...body, model: 'up-model' });
    expect(built.ok && built.value.headers.authorization).toBe('Bearer sk-up');
    expect(body.model).toBe('public');
    const images = openAiImagesFamily.buildCall({
      ...call,
      body: { model: 'p', prompt: 'x' },
      form: 'canonical',
    });
    expect(images.ok && images.value.url).toBe('http://upstream/v1/images/generations');
  });

  it('reads embeddings usage as prompt tokens with 0 output, a complete report', () => {
    const report = openAiEmbeddingsFamily.readUsage(embeddings);
    expect(report).toMatchObject({ inputTokens: 5, outputTokens: 0, totalTokens: 5, malformed: false });
    expect(report && isUsageReportComplete(report)).toBe(true);
    expect(openAiEmbeddingsFamily.readUsage({ data: [] })).toBeNull();
    expect(openAiEmbeddingsFamily.readUsage({ usage: { prompt_tokens: -1 } })?.malformed).toBe(true);
  });

  it('reads gpt-image token usage and the images an answer holds; dall-e reports no usage', () => {
    const report = openAiImagesFamily.readUsage(gptImage);
    expect(report).toMatchObject({
      inputTokens: 50,
      outputTokens: 4160,
      totalTokens: 4210,
      malformed: false,
    });
    expect(openAiImagesFamily.readImages?.(gptImage)).toEqual({
      count: 1,
      size: '1024x1024',
      quality: 'high',
    });
    expect(openAiImagesFamily.readUsage(dallE)).toBeNull();
    expect(openAiImagesFamily.readImages?.(dallE)).toEqual({ count: 1, size: null, quality: null });
    expect(openAiImagesFamily.readUsage({ usage: 'lots' })?.malformed).toBe(true);
    expect(openAiImagesFamily.readImages?.(null)).toEqual({ count: 0, size: null, quality: null });
  });
});

describe('OpenAI unary usage readers (property)', () => {
  it('never throw, whatever the upstream sends as usage, and flag what they cannot read', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (usage) => {
        for (const family of [openAiEmbeddingsFamily, openAiImagesFamily]) {
          const report = family.readUsage({ usage });
          if (usage === null) expect(report).toBeNull();
          if (report !== null && !report.malformed) {
            for (const count of [report.inputTokens, report.outputTokens, report.totalTokens]) {
              if (count !== null) expect(Number.isSafeInteger(count) && count >= 0).toBe(true);
            }
          }
        }
      }),
    );
  });
});
