import type { ProviderAdapter } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { adapterFor } from '../providers/provider-registry';
import { StreamTextTally } from './stream-text-tally';
import { countTextTokens } from './token-estimator';

const adapter = adapterFor('openai_compatible') as ProviderAdapter;
const chunk = (content: string) =>
  JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content } }] });

describe('StreamTextTally', () => {
  it('estimates what a short stream generated exactly as counting its whole text would', async () => {
    const tally = new StreamTextTally(adapter);
    const words = ['Hello', ' there', ',', ' how', ' are', ' you', '?'];
    for (const w of words) tally.add(chunk(w));
    expect(await tally.tokens()).toBe(countTextTokens(words.join('')));
  });

  it('keeps a long stream in bounded memory and still counts all of it', async () => {
    const tally = new StreamTextTally(adapter);
    for (let i = 0; i < 200_000; i++) tally.add(chunk(' more'));
    // One token per " more": 200,000 of them, whatever the folding did.
    expect(await tally.tokens()).toBe(200_000);
    const held = tally as unknown as { events: string[]; text: string };
    expect(held.events.length).toBe(0);
    expect(held.text.length).toBeLessThan(64 * 1024);
  });

  it('forgets everything once usage is reported', async () => {
    const tally = new StreamTextTally(adapter);
    tally.add(chunk('some text'));
    tally.clear();
    expect(await tally.tokens()).toBe(0);
  });
});
