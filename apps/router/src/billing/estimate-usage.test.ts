import { validateEmbeddingsRequest, validateImagesRequest } from '@switchyard/core';
import { afterAll, describe, expect, it } from 'vitest';
import dallE from '../providers/openai/__fixtures__/images.dall-e-3.url.json';
import gptImage from '../providers/openai/__fixtures__/images.gpt-image-1.b64.json';
import { openAiAdapter } from '../providers/openai/openai-adapter';
import { openAiEmbeddingsFamily, openAiImagesFamily } from '../providers/openai/openai-unary-families';
import { AnswerJson } from '../proxy/answer-json';
import { responseUsage, unaryResponseUsage } from './estimate-usage';
import { stopTokenCountThread } from './token-count-thread';
import { countTextTokens } from './token-estimator';

afterAll(() => stopTokenCountThread());

/** An answer as the relay holds it, translated (parsed as text). */
function json(answer: object): AnswerJson {
  const parsedAnswer = AnswerJson.parse(Buffer.from(JSON.stringify(answer)), false);
  if (parsedAnswer === null) throw new Error('not a JSON object');
  return parsedAnswer;
}

function parsed<T>(result: { ok: true; value: T } | { ok: false }): T {
  if (!result.ok) throw new Error('invalid request');
  return result.value;
}

describe('unaryResponseUsage', () => {
  it('embeddings without a usage report: the inputs counted by the tokenizer (token ids as they are), flagged', async () => {
    const request = parsed(
      validateEmbeddingsRequest({ model: 'm', input: ['hello world, again', [5, 6, 7]] }),
    );
    const known = await unaryResponseUsage(
      openAiEmbeddingsFamily,
      json({ object: 'list', data: [] }),
      request,
    );
    expect(known).toEqual({
      usage: {
        inputTokens: countTextTokens('hello world, again') + 3,
        outputTokens: 0,
        cachedInputTokens: 0,
        reasoningTokens: 0,
        cacheWriteTokens: 0,
      },
      estimated: true,
    });
  });

  it('embeddings with a report: billed as reported, not estimated', async () => {
    const request = parsed(validateEmbeddingsRequest({ model: 'm', input: 'x' }));
    const known = await unaryResponseUsage(
      openAiEmbeddingsFamily,
      json({ usage: { prompt_tokens: 11, total_tokens: 11 } }),
      request,
    );
    expect(known.estimated).toBe(false);
    expect(known.usage).toMatchObject({ inputTokens: 11, outputTokens: 0 });
  });

  it('images without tokens: per image, as many as answered, of the size and quality asked', async () => {
    const request = parsed(
      validateImagesRequest({ model: 'm', prompt: 'p', n: 3, size: '1024x1792', quality: 'hd' }),
    );
    const known = await unaryResponseUsage(openAiImagesFamily, json(dallE), request);
    expect(known).toEqual({
      usage: {
        inputTokens: 0,
        outputTokens: 0,
        cachedInputTokens: 0,
        images: [{ size: '1024x1792', quality: 'hd', count: 1 }],
      },
      estimated: false,
    });
  });

  it('images with a complete token report: billed by tokens, no per-image line', async () => {
    const request = parsed(validateImagesRequest({ model: 'm', prompt: 'p' }));
    const known = await unaryResponseUsage(openAiImagesFamily, json(gptImage), request);
    expect(known.estimated).toBe(false);
    expect(known.usage).toMatchObject({ inputTokens: 50, outputTokens: 4160 });
    expect(known.usage?.images).toBeUndefined();
  });

  it('images with a broken token report: per image, of the size and quality the answer names', async () => {
    const request = parsed(validateImagesRequest({ model: 'm', prompt: 'p', n: 2 }));
    const known = await unaryResponseUsage(
      openAiImagesFamily,
      json({ ...gptImage, data: [{}, {}], usage: { input_tokens: 'many' } }),
      request,
    );
    expect(known.usage?.images).toEqual([{ size: '1024x1024', quality: 'high', count: 2 }]);
  });
});

describe('responseUsage', () => {
  const body = { model: 'm', messages: [{ role: 'user', content: 'hello there' }] };

  it('a complete report is settled as reported, synchronously (no promise on the request path)', () => {
    const answer = {
      choices: [{ message: { role: 'assistant', content: 'hi' } }],
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
    };
    const known = responseUsage(openAiAdapter.readUsage(answer), openAiAdapter, body, json(answer));
    expect(known).not.toBeInstanceOf(Promise);
    expect(known).toEqual({
      usage: {
        inputTokens: 12,
        outputTokens: 3,
        cachedInputTokens: 0,
        reasoningTokens: 0,
        cacheWriteTokens: 0,
      },
      estimated: false,
    });
  });

  it('an answer without a report is estimated by the tokenizer, flagged', async () => {
    const answer = { choices: [{ message: { role: 'assistant', content: 'hi there you' } }] };
    const known = await responseUsage(openAiAdapter.readUsage(answer), openAiAdapter, body, json(answer));
    expect(known.estimated).toBe(true);
    expect(known.usage?.outputTokens).toBe(countTextTokens('hi there you'));
  });
});
