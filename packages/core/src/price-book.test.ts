import { describe, expect, it } from 'vitest';
import type { PriceRecord } from './config-snapshot';
import { comparablePriceMicros, PriceBook } from './price-book';
import { EMPTY_PRICE_SHEET } from './price-sheet';

function row(
  providerId: string | null,
  vendor: string | null,
  model: string,
  effectiveFrom: number,
  input: bigint,
): PriceRecord {
  return {
    providerId,
    vendor,
    model,
    effectiveFrom,
    sheet: { ...EMPTY_PRICE_SHEET, inputMicrosPerMillion: input, outputMicrosPerMillion: input * 4n },
    maxOutputTokens: null,
  };
}

const openaiProvider = { id: 'prv_oai', kind: 'openai' as const };
const compatible = { id: 'prv_any', kind: 'openai_compatible' as const };
const gemini = { id: 'prv_gem', kind: 'gemini' as const };

describe('PriceBook', () => {
  it("prefers the provider's own row in force at the request time, history kept", () => {
    const book = new PriceBook([
      row('prv_oai', null, 'gpt-4o', 5000, 2n),
      row('prv_oai', null, 'gpt-4o', 1000, 1n),
      row(null, 'openai', 'gpt-4o', 0, 9n),
    ]);
    expect(book.resolve(openaiProvider, 'gpt-4o', 999)?.sheet.inputMicrosPerMillion).toBe(9n);
    expect(book.resolve(openaiProvider, 'gpt-4o', 1000)?.sheet.inputMicrosPerMillion).toBe(1n);
    expect(book.resolve(openaiProvider, 'gpt-4o', 4999)?.sheet.inputMicrosPerMillion).toBe(1n);
    expect(book.resolve(openaiProvider, 'gpt-4o', 5000)?.sheet.inputMicrosPerMillion).toBe(2n);
    // Another provider serving the same id gets the catalog row, not prv_oai's.
    expect(book.resolve(compatible, 'gpt-4o', 5000)?.sheet.inputMicrosPerMillion).toBe(9n);
  });

  it('prefers the catalog vendor matching the provider kind, else the first vendor by name', () => {
    const book = new PriceBook([
      row(null, 'qwen', 'shared-model', 0, 3n),
      row(null, 'google', 'shared-model', 0, 7n),
      row(null, 'deepseek', 'shared-model', 0, 5n),
    ]);
    expect(book.resolve(gemini, 'shared-model', 10)?.vendor).toBe('google');
    expect(book.resolve(openaiProvider, 'shared-model', 10)?.vendor).toBe('deepseek');
    expect(book.resolve(compatible, 'shared-model', 10)?.sheet.inputMicrosPerMillion).toBe(5n);
  });

  it('skips a preferred vendor with nothing in force yet, and answers undefined when nothing prices the model', () => {
    const book = new PriceBook([row(null, 'google', 'm', 500, 7n), row(null, 'zeta', 'm', 100, 1n)]);
    expect(book.resolve(gemini, 'm', 200)?.vendor).toBe('zeta');
    expect(book.resolve(gemini, 'm', 500)?.vendor).toBe('google');
    expect(book.resolve(gemini, 'm', 50)).toBeUndefined();
    expect(book.resolve(gemini, 'other', 500)).toBeUndefined();
  });

  it('compares targets by per-million input + output', () => {
    expect(comparablePriceMicros(row(null, 'x', 'm', 0, 150_000n))).toBe(750_000n);
    const outputOnly = {
      ...row(null, 'x', 'm', 0, 1n),
      sheet: { ...EMPTY_PRICE_SHEET, outputMicrosPerMillion: 8n },
    };
    expect(comparablePriceMicros(outputOnly)).toBe(8n);
  });
});
