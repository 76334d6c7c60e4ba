import { describe, expect, it } from 'vitest';
import { computeCost } from './compute-cost';
import { exportPriceCatalog, parseIsoInstant, parsePriceCatalog } from './price-catalog';

const gpt4o = {
  provider: 'openai',
  model: 'gpt-4o',
  effectiveFrom: '2025-12-01T00:00:00Z',
  input: '2.50',
  cachedInput: '1.25',
  output: '10.00',
  maxOutputTokens: 16384,
};

function issues(json: unknown) {
  const result = parsePriceCatalog(json);
  if (result.ok) throw new Error('expected issues');
  return result.error;
}

describe('parsePriceCatalog', () => {
  it('converts decimal USD per million into integer micro-USD per million, exactly', () => {
    const result = parsePriceCatalog([gpt4o]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [entry] = result.value;
    expect(entry?.provider).toBe('openai');
    expect(entry?.effectiveFrom).toBe(Date.UTC(2025, 11, 1));
    expect(entry?.maxOutputTokens).toBe(16_384);
    expect(entry?.prices.inputMicrosPerMillion).toBe(2_500_000n);
    expect(entry?.prices.cachedInputMicrosPerMillion).toBe(1_250_000n);
    expect(entry?.prices.outputMicrosPerMillion).toBe(10_000_000n);
    expect(entry?.prices.cacheWriteMicrosPerMillion).toBeNull();
    expect(entry?.prices.longContext).toBeNull();
    expect(entry?.prices.images).toEqual([]);
  });

  it('reads images, video, per-request and long-context prices', () => {
    const result = parsePriceCatalog([
      {
        provider: 'openai',
        model: 'dall-e-3',
        effectiveFrom: '2025-12-01',
        images: [
          { size: '1024x1024', quality: 'standard', price: '0.04' },
          { size: '1024x1024', quality: 'hd', price: '0.08' },
        ],
      },
      {
        provider: 'google',
        model: 'veo',
        effectiveFrom: '2025-12-01',
        videoPerSecond: '0.75',
        perRequest: '0.001',
      },
      {
        provider: 'google',
        model: 'gemini-2.5-pro',
        effectiveFrom: '2025-12-01',
        input: '1.25',
        output: '10',
        longContext: { aboveInputTokens: 200000, input: '2.50', output: '15.00', cachedInput: '0.25' },
      },
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [dalle, veo, gemini] = result.value;
    expect(dalle?.prices.images).toEqual([
      { size: '1024x1024', quality: 'standard', microsPerImage: 40_000n },
      { size: '1024x1024', quality: 'hd', microsPerImage: 80_000n },
    ]);
    expect(veo?.prices.videoMicrosPerSecond).toBe(750_000n);
    expect(veo?.prices.requestMicros).toBe(1_000n);
    expect(gemini?.prices.longContext).toEqual({
      aboveInputTokens: 200_000,
      inputMicrosPerMillion: 2_500_000n,
      outputMicrosPerMillion: 15_000_000n,
      cachedInputMicrosPerMillion: 250_000n,
      cacheWriteMicrosPerMillion: null,
      reasoningMicrosPerMillion: null,
    });
    if (gemini)
      expect(computeCost(gemini.prices, { inputTokens: 300_000, outputTokens: 0 }).micros).toBe(750_000n);
  });

  it('names the bad field by index and key', () => {
    expect(issues([gpt4o, gpt4o, gpt4o, { ...gpt4o, effectiveFrom: '2026-01-01', output: '10,00' }])).toEqual(
      [
        { path: '[1].effectiveFrom', message: 'duplicates [0]: same provider, model and effectiveFrom' },
        { path: '[2].effectiveFrom', message: 'duplicates [0]: same provider, model and effectiveFrom' },
        {
          path: '[3].output',
          message: 'must be a non-negative decimal USD amount such as "2.50"; got "10,00"',
        },
      ],
    );
  });

  it('refuses JSON numbers for amounts, because they were already read as floats', () => {
    expect(issues([{ ...gpt4o, input: 2.5 }])).toEqual([
      {
        path: '[0].input',
        message: 'must be a string such as "2.5", not a JSON number, so it is read exactly',
      },
    ]);
  });

  it('refuses unknown keys, so a typo cannot silently make a price free', () => {
    const { output: _output, ...rest } = gpt4o;
    expect(issues([{ ...rest, ouput: '10.00' }]).map((i) => i.path)).toEqual(['[0].ouput']);
  });

  it('collects every issue in one pass, nested paths included', () => {
    const found = issues([
      'not an object',
      {
        provider: ' openai',
        model: '',
        effectiveFrom: '2025-02-30',
        input: '-1',
        images: [{ size: '1024x1024', quality: 'hd' }, 'x'],
        longContext: { aboveInputTokens: 0, input: '1.0' },
        maxOutputTokens: 1.5,
      },
    ]);
    expect(found.map((i) => i.path)).toEqual([
      '[0]',
      '[1].provider',
      '[1].model',
      '[1].effectiveFrom',
      '[1].input',
      '[1].longContext.output',
      '[1].longContext.aboveInputTokens',
      '[1].images[0].price',
      '[1].images[1]',
      '[1].maxOutputTokens',
    ]);
  });

  it('refuses a non-array document and an entry that prices nothing', () => {
    expect(issues({ entries: [] })).toEqual([{ path: '(root)', message: 'must be a JSON array of entries' }]);
    expect(issues([{ provider: 'p', model: 'm', effectiveFrom: '2025-01-01' }])[0]?.path).toBe('[0]');
  });

  it('refuses duplicate image size/quality pairs and an image without a price', () => {
    const found = issues([
      {
        provider: 'p',
        model: 'm',
        effectiveFrom: '2025-01-01',
        images: [
          { size: 's', quality: 'q', price: '0.01' },
          { size: 's', quality: 'q', price: '0.02' },
        ],
      },
    ]);
    expect(found.map((i) => i.path)).toEqual(['[0].images[1]']);
  });

  it('accepts an empty catalog', () => {
    expect(parsePriceCatalog([])).toEqual({ ok: true, value: [] });
  });
});

describe('parseIsoInstant', () => {
  it('accepts dates (UTC midnight) and zoned date-times', () => {
    expect(parseIsoInstant('2025-12-01')).toBe(Date.UTC(2025, 11, 1));
    expect(parseIsoInstant('2025-12-01T10:30:00Z')).toBe(Date.UTC(2025, 11, 1, 10, 30));
    expect(parseIsoInstant('2025-12-01T10:30:00.250+02:00')).toBe(Date.UTC(2025, 11, 1, 8, 30, 0, 250));
    expect(parseIsoInstant('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
  });

  it('refuses impossible dates and local times without a zone', () => {
    for (const bad of [
      '2025-02-30',
      '2025-02-29',
      '2025-13-01',
      '2025-12-01T10:30:00',
      '2025-12-01T24:00Z',
      'Dec 1 2025',
      '',
    ]) {
      expect(parseIsoInstant(bad), bad).toBeNull();
    }
  });
});

describe('exportPriceCatalog', () => {
  it('writes decimal strings, sorts rows and omits empty fields', () => {
    const parsed = parsePriceCatalog([
      { ...gpt4o, effectiveFrom: '2026-01-01T00:00:00Z', input: '2.00' },
      {
        provider: 'anthropic',
        model: 'claude',
        effectiveFrom: '2025-12-01',
        input: '3',
        output: '15',
        notes: 'n',
      },
      gpt4o,
    ]);
    if (!parsed.ok) throw new Error('parse failed');
    expect(exportPriceCatalog(parsed.value)).toEqual([
      {
        provider: 'anthropic',
        model: 'claude',
        effectiveFrom: '2025-12-01T00:00:00.000Z',
        input: '3.00',
        output: '15.00',
        notes: 'n',
      },
      { ...gpt4o, effectiveFrom: '2025-12-01T00:00:00.000Z' },
      { ...gpt4o, effectiveFrom: '2026-01-01T00:00:00.000Z', input: '2.00' },
    ]);
  });

  it('round-trips: parse(export(entries)) gives the entries back', () => {
    const source = [
      gpt4o,
      {
        provider: 'x',
        model: 'everything',
        effectiveFrom: '2025-06-01T12:00:00Z',
        input: '0.000001',
        output: '1234.5',
        cachedInput: '0.1',
        cacheWrite: '0.2',
        reasoning: '0.3',
        longContext: {
          aboveInputTokens: 5,
          input: '1',
          output: '2',
          cachedInput: '3',
          cacheWrite: '4',
          reasoning: '5',
        },
        images: [{ size: 's', quality: 'q', price: '0.05' }],
        perImage: '0.04',
        videoPerSecond: '0.5',
        perRequest: '0.01',
        maxOutputTokens: 10,
        notes: 'all fields',
      },
    ];
    const first = parsePriceCatalog(source);
    if (!first.ok) throw new Error('parse failed');
    expect(first.value.find((e) => e.notes === 'all fields')?.prices.imageMicros).toBe(40_000n);
    const again = parsePriceCatalog(JSON.parse(JSON.stringify(exportPriceCatalog(first.value))));
    expect(again).toEqual({
      ok: true,
      value: [...first.value].sort((a, b) => a.provider.localeCompare(b.provider)),
    });
  });
});

describe('parsePriceCatalog: a flat per-image price', () => {
  it('reads perImage alone as a price, and names it when it is not an amount', () => {
    const ok = parsePriceCatalog([
      { provider: 'openai', model: 'dall-e-3', effectiveFrom: '2025-01-01', perImage: '0.04' },
    ]);
    expect(ok.ok && ok.value[0]?.prices.imageMicros).toBe(40_000n);
    const bad = parsePriceCatalog([
      { provider: 'openai', model: 'dall-e-3', effectiveFrom: '2025-01-01', perImage: 0.04 },
    ]);
    expect(bad.ok ? [] : bad.error.map((i) => i.path)).toEqual(['[0].perImage']);
  });
});
