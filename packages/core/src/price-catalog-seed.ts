import { type PriceCatalogEntry, type PriceCatalogJsonEntry, parsePriceCatalog } from './price-catalog';

/**
 * The date the seeded prices are list prices for. Every seeded entry takes effect on this date, so usage
 * before it is unpriced until an operator imports older history.
 */
export const CATALOG_SOURCE_DATE = '2025-12-01';

/**
 * The catalog a fresh install starts with, in the import/export format, for the main models of OpenAI,
 * Anthropic, Google, DeepSeek and Qwen.
 *
 * Prices are standard (non-batch, non-priority) pay-as-you-go list prices in USD as of
 * {@link CATALOG_SOURCE_DATE}, taken from the providers' public pricing pages (OpenAI API pricing,
 * Anthropic's Claude pricing, Google's Gemini Developer API pricing, DeepSeek's Models & Pricing, Alibaba
 * Cloud Model Studio's international/Singapore prices for Qwen). Each entry's `notes` says how well it was
 * checked. Providers change prices and retire models: an operator billing real money reviews this list,
 * and adds a newer entry (a later effectiveFrom) rather than editing an old one, so past costs reproduce.
 *
 * Conventions the figures follow (see BillableUsage): reasoning tokens bill at the output price unless
 * `reasoning` is set; Anthropic's `cacheWrite` is the 5-minute cache-write price (1-hour writes cost more
 * and are not modelled); Gemini context-cache storage per hour is not a per-request cost and is left out.
 */
export const PRICE_CATALOG_SEED: readonly PriceCatalogJsonEntry[] = Object.freeze([
  // OpenAI: reasoning tokens of o-series models are output tokens, billed at the output price.
  openai('gpt-4o', '2.50', '1.25', '10.00', 16_384, 'Input, cached input and output checked.'),
  openai('gpt-4o-mini', '0.15', '0.075', '0.60', 16_384, 'Input, cached input and output checked.'),
  openai('gpt-4.1', '2.00', '0.50', '8.00', 32_768, 'Input and output checked; cached input best knowledge.'),
  openai(
    'gpt-4.1-mini',
    '0.40',
    '0.10',
    '1.60',
    32_768,
    'Input and output checked; cached input best knowledge.',
  ),
  openai('o3', '2.00', '0.50', '8.00', 100_000, 'Price after the June 2025 reduction; checked.'),
  openai('o4-mini', '1.10', '0.275', '4.40', 100_000, 'Checked (cached input from a secondary source).'),

  // Anthropic: current Claude 4.5 models, by alias and by dated id (the router may be configured with either).
  ...anthropic(['claude-opus-4-5', 'claude-opus-4-5-20251101'], {
    input: '5.00',
    cacheWrite: '6.25',
    cachedInput: '0.50',
    output: '25.00',
    maxOutputTokens: 64_000,
    notes: "Checked on Anthropic's pricing page.",
  }),
  ...anthropic(['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929'], {
    input: '3.00',
    cacheWrite: '3.75',
    cachedInput: '0.30',
    output: '15.00',
    // With the 1M-context beta, prompts over 200k tokens bill every token at the long-context rates.
    longContext: {
      aboveInputTokens: 200_000,
      input: '6.00',
      cacheWrite: '7.50',
      cachedInput: '0.60',
      output: '22.50',
    },
    maxOutputTokens: 64_000,
    notes:
      'Base and long-context input/output checked; long-context cache prices best knowledge (same multipliers).',
  }),
  ...anthropic(['claude-haiku-4-5', 'claude-haiku-4-5-20251001'], {
    input: '1.00',
    cacheWrite: '1.25',
    cachedInput: '0.10',
    output: '5.00',
    maxOutputTokens: 64_000,
    notes: 'Checked against secondary sources quoting the pricing page.',
  }),

  // Google: thinking tokens bill at the output price ("output price including thinking tokens").
  {
    provider: 'google',
    model: 'gemini-2.5-pro',
    effectiveFrom: CATALOG_SOURCE_DATE,
    input: '1.25',
    cachedInput: '0.125',
    output: '10.00',
    longContext: { aboveInputTokens: 200_000, input: '2.50', cachedInput: '0.25', output: '15.00' },
    maxOutputTokens: 65_536,
    notes: 'Input/output (both tiers) checked; context-cache read prices best knowledge.',
  },
  {
    provider: 'google',
    model: 'gemini-2.5-flash',
    effectiveFrom: CATALOG_SOURCE_DATE,
    input: '0.30',
    cachedInput: '0.03',
    output: '2.50',
    maxOutputTokens: 65_536,
    notes:
      'Text/image/video input and output checked; audio input ($1.00/M) not modelled; cache read best knowledge.',
  },

  // DeepSeek: V3.2 prices, the same for both models; `input` is the cache-miss price, `cachedInput` the hit.
  {
    provider: 'deepseek',
    model: 'deepseek-chat',
    effectiveFrom: CATALOG_SOURCE_DATE,
    input: '0.28',
    cachedInput: '0.028',
    output: '0.42',
    maxOutputTokens: 8_192,
    notes: 'DeepSeek-V3.2 non-thinking mode; checked against a secondary source.',
  },
  {
    provider: 'deepseek',
    model: 'deepseek-reasoner',
    effectiveFrom: CATALOG_SOURCE_DATE,
    input: '0.28',
    cachedInput: '0.028',
    output: '0.42',
    maxOutputTokens: 65_536,
    notes:
      'DeepSeek-V3.2 thinking mode; chain of thought bills as output. Checked against a secondary source.',
  },

  // Qwen (Alibaba Cloud Model Studio, international deployment). In thinking mode Qwen bills the whole
  // completion at the thinking rate; `reasoning` carries that rate, the closest one sheet can express.
  {
    provider: 'qwen',
    model: 'qwen-max',
    effectiveFrom: CATALOG_SOURCE_DATE,
    input: '1.60',
    output: '6.40',
    maxOutputTokens: 8_192,
    notes: 'Best knowledge (international price); not checked against the pricing page.',
  },
  {
    provider: 'qwen',
    model: 'qwen-plus',
    effectiveFrom: CATALOG_SOURCE_DATE,
    input: '0.40',
    output: '1.20',
    reasoning: '4.00',
    maxOutputTokens: 32_768,
    notes: 'Best knowledge (international price, prompts ≤ 256k); not checked against the pricing page.',
  },
  {
    provider: 'qwen',
    model: 'qwen-turbo',
    effectiveFrom: CATALOG_SOURCE_DATE,
    input: '0.05',
    output: '0.20',
    reasoning: '0.50',
    maxOutputTokens: 16_384,
    notes:
      'Input/output checked against a secondary source; max output checked; thinking price best knowledge.',
  },
]);

/** The seed as typed catalog entries. Throws only if the seed itself is malformed (a test guards that). */
export function seedPriceCatalog(): PriceCatalogEntry[] {
  const parsed = parsePriceCatalog(PRICE_CATALOG_SEED);
  if (!parsed.ok) {
    throw new Error(
      `Seed price catalog is invalid: ${parsed.error.map((i) => `${i.path} ${i.message}`).join('; ')}`,
    );
  }
  return parsed.value;
}

function openai(
  model: string,
  input: string,
  cachedInput: string,
  output: string,
  maxOutputTokens: number,
  notes: string,
): PriceCatalogJsonEntry {
  return {
    provider: 'openai',
    model,
    effectiveFrom: CATALOG_SOURCE_DATE,
    input,
    cachedInput,
    output,
    maxOutputTokens,
    notes,
  };
}

function anthropic(
  models: string[],
  prices: Omit<PriceCatalogJsonEntry, 'provider' | 'model' | 'effectiveFrom'>,
): PriceCatalogJsonEntry[] {
  return models.map((model) => ({
    provider: 'anthropic',
    model,
    effectiveFrom: CATALOG_SOURCE_DATE,
    ...prices,
  }));
}
