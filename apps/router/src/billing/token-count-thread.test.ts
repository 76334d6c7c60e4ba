import { describe, expect, it } from 'vitest';
import {
  configureTokenCountThread,
  countTokensOffThread,
  stopTokenCountThread,
  tokenCountsPending,
  tokenCountsSettled,
  tokenCountThreadState,
} from './token-count-thread';
import { countTextTokens } from './token-estimator';

/** Distinct words, so the BPE has real work (a few hundred ms per 150 K characters). */
function words(chars: number, seed: number): string {
  let text = '';
  for (let i = 0; text.length < chars; i++)
    text += `${((i * 7919 + seed * 104_729) % 1_000_003).toString(36)} `;
  return text.slice(0, chars);
}

describe('countTokensOffThread', () => {
  it('counts on its thread exactly as countTextTokens does on this one, text by text', async () => {
    const texts = [
      'Hello there, how are you?',
      'naïve café — 東京 🚀',
      words(20_000, 1),
      'é'.repeat(250_000),
    ];
    const expected = texts.reduce((sum, text) => sum + countTextTokens(text), 0);
    expect(await countTokensOffThread(texts)).toBe(expected);
    // Past 200,000 characters: the byte bound, as on this thread.
    expect(await countTokensOffThread(['é'.repeat(250_000)])).toBe(500_000);
    expect(await countTokensOffThread([])).toBe(0);
    expect(await countTokensOffThread([''])).toBe(0);
  }, 60_000);

  it('counts a text as its byte length when the thread is over 4 M characters behind', async () => {
    const backlog = countTokensOffThread(['x'.repeat(4_000_000)]);
    // 'hello world' is 2 tokens, 11 bytes: the bound, at once, rather than queued behind the backlog.
    expect(await countTokensOffThread(['hello world', ' ab'.repeat(100_000)])).toBe(11 + 300_000);
    expect(await backlog).toBe(4_000_000);
    expect(await countTokensOffThread(['hello world'])).toBe(2);
  }, 60_000);

  it('falls back to the byte bound for counts whose thread ends, and starts a new thread for the next', async () => {
    await countTokensOffThread(['warm']);
    const text = words(150_000, 2);
    const lost = countTokensOffThread([text]);
    await stopTokenCountThread();
    expect(await lost).toBe(Buffer.byteLength(text, 'utf8'));
    expect(await countTokensOffThread([text])).toBe(countTextTokens(text));
    const late = countTokensOffThread(['hello world']);
    await tokenCountsSettled();
    expect(await Promise.race([late, 'pending'])).toBe(2);
  }, 60_000);

  it('reports the counts still to be answered (what /readyz calls usageCounting)', async () => {
    expect(tokenCountsPending()).toBe(0);
    const first = countTokensOffThread([words(50_000, 3)]);
    const second = countTokensOffThread(['hello world']);
    // Nothing to count: answered at once, never pending.
    const empty = countTokensOffThread(['']);
    expect(tokenCountsPending()).toBe(2);
    expect(await empty).toBe(0);
    await first;
    expect(await second).toBe(2);
    expect(tokenCountsPending()).toBe(0);
  }, 60_000);

  it('ends the thread after its idle period, and counts arriving around the stop are counted, not bounded', async () => {
    const idleMs = 300;
    await stopTokenCountThread();
    configureTokenCountThread(idleMs);
    const stopped = async () => {
      while (tokenCountThreadState().running) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    try {
      // 'hello world': 2 tokens, 11 bytes — a count that fell back to the byte bound would show.
      expect(await countTokensOffThread(['hello world'])).toBe(2);
      await stopped();
      const { starts } = tokenCountThreadState();
      const text = words(5_000, 4);
      const expected = countTextTokens(text);
      // The idle timer starts when this count is answered; the next ones arrive before, at and after it fires.
      expect(await countTokensOffThread(['hello world'])).toBe(2);
      const counts = await Promise.all(
        [0, idleMs - 50, idleMs - 10, idleMs, idleMs + 1, idleMs + 10, idleMs + 50, 3 * idleMs].map(
          (delay) =>
            new Promise<number>((resolve) =>
              setTimeout(() => resolve(countTokensOffThread([text, 'hello world'])), delay),
            ),
        ),
      );
      expect(counts).toEqual(counts.map(() => expected + 2));
      await tokenCountsSettled();
      expect(tokenCountsPending()).toBe(0);
      await stopped();
      expect(tokenCountThreadState().starts).toBeGreaterThan(starts);
    } finally {
      await stopTokenCountThread();
      configureTokenCountThread();
    }
  }, 120_000);
});
