import { fail, ok, type Result } from './gateway-error';
import type { ImagePrice, LongContextTier, PriceSheet, TokenPrices } from './price-sheet';
import { formatUsdMicros, parseUsdMicros } from './usd-micros';

/** One price-history row: what `model` at `provider` costs from `effectiveFrom` on (until the next row). */
export interface PriceCatalogEntry {
  /** Provider kind as the catalog names it ("openai", "anthropic", …), not a database id. */
  provider: string;
  model: string;
  /** Epoch ms. */
  effectiveFrom: number;
  prices: PriceSheet;
  /** The model's own cap on output tokens, used to bound a worst-case estimate when a request sets none. */
  maxOutputTokens: number | null;
  /** Free text: source, caveats. */
  notes: string | null;
}

/**
 * Token prices in the interchange format: decimal USD **per million tokens** as strings ("2.50"), read
 * exactly; omitted or `null` means "not sold separately" (see {@link TokenPrices} for the fallbacks).
 */
export interface TokenPricesJson {
  input?: string | null;
  output?: string | null;
  cachedInput?: string | null;
  cacheWrite?: string | null;
  reasoning?: string | null;
}

/**
 * One catalog entry as imported and exported (JSON). Token prices are decimal USD per million tokens;
 * `perRequest`, `perImage`, `videoPerSecond` and image `price` are decimal USD per unit. All amounts are strings so no
 * float ever touches money; at most 6 decimal places.
 */
export interface PriceCatalogJsonEntry extends TokenPricesJson {
  provider: string;
  model: string;
  /** ISO 8601: a date ("2025-12-01", UTC midnight) or a date-time with a zone ("2025-12-01T00:00:00Z"). */
  effectiveFrom: string;
  longContext?: (TokenPricesJson & { aboveInputTokens: number }) | null;
  images?: { size: string; quality: string; price: string }[];
  /** Per image of any size and quality `images` does not list. */
  perImage?: string | null;
  videoPerSecond?: string | null;
  perRequest?: string | null;
  maxOutputTokens?: number | null;
  notes?: string | null;
}

/** A problem in an imported catalog, at a JSON path such as `[3].output` or `[0].images[1].price`. */
export interface CatalogIssue {
  path: string;
  message: string;
}

const TOKEN_FIELDS = ['input', 'output', 'cachedInput', 'cacheWrite', 'reasoning'] as const;
const SHEET_FIELD: Record<(typeof TOKEN_FIELDS)[number], keyof TokenPrices> = {
  input: 'inputMicrosPerMillion',
  output: 'outputMicrosPerMillion',
  cachedInput: 'cachedInputMicrosPerMillion',
  cacheWrite: 'cacheWriteMicrosPerMillion',
  reasoning: 'reasoningMicrosPerMillion',
};
const ENTRY_KEYS = new Set([
  'provider',
  'model',
  'effectiveFrom',
  ...TOKEN_FIELDS,
  'longContext',
  'images',
  'perImage',
  'videoPerSecond',
  'perRequest',
  'maxOutputTokens',
  'notes',
]);
const TIER_KEYS = new Set(['aboveInputTokens', ...TOKEN_FIELDS]);
const IMAGE_KEYS = new Set(['size', 'quality', 'price']);
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Validates and converts an imported catalog (the parsed JSON). Collects every issue rather than stopping at
 * the first, each naming its field (`[3].output: must be a non-negative decimal …`), so an operator fixes a
 * file in one pass. Strict on purpose: unknown keys (a typo such as "ouput" would otherwise silently make a
 * price free), numbers where amount strings belong, dates without a zone, and duplicate
 * (provider, model, effectiveFrom) rows are all rejected.
 */
export function parsePriceCatalog(json: unknown): Result<PriceCatalogEntry[], CatalogIssue[]> {
  const issues: CatalogIssue[] = [];
  if (!Array.isArray(json)) return fail([{ path: '(root)', message: 'must be a JSON array of entries' }]);
  const entries: PriceCatalogEntry[] = [];
  const seen = new Map<string, number>();
  json.forEach((raw: unknown, i) => {
    const entry = parseEntry(raw, `[${i}]`, issues);
    if (!entry) return;
    const key = `${entry.provider}\u0000${entry.model}\u0000${entry.effectiveFrom}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({
        path: `[${i}].effectiveFrom`,
        message: `duplicates [${first}]: same provider, model and effectiveFrom`,
      });
      return;
    }
    seen.set(key, i);
    entries.push(entry);
  });
  return issues.length > 0 ? fail(issues) : ok(entries);
}

/**
 * The interchange form of a catalog, sorted by provider, model and effectiveFrom so exports diff cleanly.
 * Null and empty fields are omitted. `parsePriceCatalog(exportPriceCatalog(x))` gives back `x` (sorted).
 */
export function exportPriceCatalog(entries: readonly PriceCatalogEntry[]): PriceCatalogJsonEntry[] {
  return [...entries]
    .sort(
      (a, b) =>
        compare(a.provider, b.provider) || compare(a.model, b.model) || a.effectiveFrom - b.effectiveFrom,
    )
    .map((entry) => {
      const p = entry.prices;
      const out: PriceCatalogJsonEntry = {
        provider: entry.provider,
        model: entry.model,
        effectiveFrom: new Date(entry.effectiveFrom).toISOString(),
        ...tokenPricesToJson(p),
      };
      if (p.longContext) {
        out.longContext = {
          aboveInputTokens: p.longContext.aboveInputTokens,
          ...tokenPricesToJson(p.longContext),
        };
      }
      if (p.images.length > 0) {
        out.images = p.images.map((img) => ({
          size: img.size,
          quality: img.quality,
          price: formatUsdMicros(img.microsPerImage),
        }));
      }
      if (p.imageMicros !== null) out.perImage = formatUsdMicros(p.imageMicros);
      if (p.videoMicrosPerSecond !== null) out.videoPerSecond = formatUsdMicros(p.videoMicrosPerSecond);
      if (p.requestMicros !== null) out.perRequest = formatUsdMicros(p.requestMicros);
      if (entry.maxOutputTokens !== null) out.maxOutputTokens = entry.maxOutputTokens;
      if (entry.notes !== null) out.notes = entry.notes;
      return out;
    });
}

/** Parses an ISO 8601 date or zoned date-time to epoch ms, rejecting impossible dates ("2025-02-30"). */
export function parseIsoInstant(text: string): number | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    return null;
  }
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return null;
  const ms = Date.parse(m[4] === undefined ? `${m[1]}-${m[2]}-${m[3]}T00:00:00Z` : text);
  return Number.isFinite(ms) ? ms : null;
}

function parseEntry(raw: unknown, path: string, issues: CatalogIssue[]): PriceCatalogEntry | null {
  if (!isObject(raw)) {
    issues.push({ path, message: 'must be an object' });
    return null;
  }
  const before = issues.length;
  unknownKeys(raw, ENTRY_KEYS, path, issues);

  const provider = name(raw.provider, `${path}.provider`, issues);
  const model = name(raw.model, `${path}.model`, issues);
  let effectiveFrom: number | null = null;
  if (typeof raw.effectiveFrom !== 'string') {
    issues.push({
      path: `${path}.effectiveFrom`,
      message: 'is required: an ISO 8601 date or zoned date-time',
    });
  } else {
    effectiveFrom = parseIsoInstant(raw.effectiveFrom);
    if (effectiveFrom === null) {
      issues.push({
        path: `${path}.effectiveFrom`,
        message: `must be an ISO 8601 date ("2025-12-01") or date-time with a zone ("2025-12-01T00:00:00Z"); got ${JSON.stringify(raw.effectiveFrom)}`,
      });
    }
  }

  const tokens = tokenPrices(raw, path, issues);
  let longContext: LongContextTier | null = null;
  if (raw.longContext !== undefined && raw.longContext !== null) {
    const tierPath = `${path}.longContext`;
    if (!isObject(raw.longContext)) {
      issues.push({ path: tierPath, message: 'must be an object or null' });
    } else {
      unknownKeys(raw.longContext, TIER_KEYS, tierPath, issues);
      const above = raw.longContext.aboveInputTokens;
      const tierTokens = tokenPrices(raw.longContext, tierPath, issues);
      // A tier replaces every token price, so its two base prices must be explicit: a forgotten one would
      // otherwise make long prompts unpriced.
      for (const field of ['input', 'output'] as const) {
        if (raw.longContext[field] === undefined || raw.longContext[field] === null) {
          issues.push({ path: `${tierPath}.${field}`, message: 'is required in a long-context tier' });
        }
      }
      if (!Number.isSafeInteger(above) || (above as number) <= 0) {
        issues.push({ path: `${tierPath}.aboveInputTokens`, message: 'must be a positive integer' });
      } else {
        longContext = { aboveInputTokens: above as number, ...tierTokens };
      }
    }
  }

  const images: ImagePrice[] = [];
  if (raw.images !== undefined) {
    if (!Array.isArray(raw.images)) {
      issues.push({ path: `${path}.images`, message: 'must be an array' });
    } else {
      const sizes = new Set<string>();
      raw.images.forEach((img: unknown, j) => {
        const imgPath = `${path}.images[${j}]`;
        if (!isObject(img)) {
          issues.push({ path: imgPath, message: 'must be an object' });
          return;
        }
        unknownKeys(img, IMAGE_KEYS, imgPath, issues);
        const size = name(img.size, `${imgPath}.size`, issues);
        const quality = name(img.quality, `${imgPath}.quality`, issues);
        const price = amount(img.price, `${imgPath}.price`, issues, true);
        if (size === null || quality === null || price === null) return;
        if (sizes.has(`${size}/${quality}`)) {
          issues.push({ path: imgPath, message: `duplicates another image price for ${size}/${quality}` });
          return;
        }
        sizes.add(`${size}/${quality}`);
        images.push({ size, quality, microsPerImage: price });
      });
    }
  }
  const imageMicros = amount(raw.perImage, `${path}.perImage`, issues, false);
  const videoMicrosPerSecond = amount(raw.videoPerSecond, `${path}.videoPerSecond`, issues, false);
  const requestMicros = amount(raw.perRequest, `${path}.perRequest`, issues, false);

  let maxOutputTokens: number | null = null;
  if (raw.maxOutputTokens !== undefined && raw.maxOutputTokens !== null) {
    if (!Number.isSafeInteger(raw.maxOutputTokens) || (raw.maxOutputTokens as number) <= 0) {
      issues.push({ path: `${path}.maxOutputTokens`, message: 'must be a positive integer or null' });
    } else {
      maxOutputTokens = raw.maxOutputTokens as number;
    }
  }
  let notes: string | null = null;
  if (raw.notes !== undefined && raw.notes !== null) {
    if (typeof raw.notes !== 'string')
      issues.push({ path: `${path}.notes`, message: 'must be a string or null' });
    else notes = raw.notes;
  }

  if (issues.length > before || provider === null || model === null || effectiveFrom === null) return null;
  const prices: PriceSheet = {
    ...tokens,
    longContext,
    images,
    imageMicros,
    videoMicrosPerSecond,
    requestMicros,
  };
  if (pricesNothing(prices)) {
    issues.push({
      path,
      message:
        'prices nothing: set at least one of input, output, images, perImage, videoPerSecond, perRequest',
    });
    return null;
  }
  return { provider, model, effectiveFrom, prices, maxOutputTokens, notes };
}

function tokenPrices(raw: Record<string, unknown>, path: string, issues: CatalogIssue[]): TokenPrices {
  const out: TokenPrices = {
    inputMicrosPerMillion: null,
    outputMicrosPerMillion: null,
    cachedInputMicrosPerMillion: null,
    cacheWriteMicrosPerMillion: null,
    reasoningMicrosPerMillion: null,
  };
  for (const field of TOKEN_FIELDS)
    out[SHEET_FIELD[field]] = amount(raw[field], `${path}.${field}`, issues, false);
  return out;
}

function tokenPricesToJson(p: TokenPrices): TokenPricesJson {
  const out: TokenPricesJson = {};
  for (const field of TOKEN_FIELDS) {
    const value = p[SHEET_FIELD[field]];
    if (value !== null) out[field] = formatUsdMicros(value);
  }
  return out;
}

function amount(value: unknown, path: string, issues: CatalogIssue[], required: boolean): bigint | null {
  if (value === undefined || value === null) {
    if (required) issues.push({ path, message: 'is required: a decimal USD amount such as "0.04"' });
    return null;
  }
  if (typeof value === 'number') {
    issues.push({
      path,
      message: `must be a string such as "${value}", not a JSON number, so it is read exactly`,
    });
    return null;
  }
  if (typeof value !== 'string') {
    issues.push({ path, message: 'must be a decimal USD amount string or null' });
    return null;
  }
  const parsed = parseUsdMicros(value);
  if (!parsed.ok) {
    issues.push({ path, message: parsed.error });
    return null;
  }
  return parsed.value;
}

function name(value: unknown, path: string, issues: CatalogIssue[]): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200 || value.trim() !== value) {
    issues.push({ path, message: 'must be a non-empty string (≤ 200 characters, no surrounding spaces)' });
    return null;
  }
  return value;
}

function unknownKeys(
  raw: Record<string, unknown>,
  allowed: Set<string>,
  path: string,
  issues: CatalogIssue[],
) {
  for (const key of Object.keys(raw)) {
    if (!allowed.has(key)) issues.push({ path: `${path}.${key}`, message: 'is not a known field' });
  }
}

function pricesNothing(p: PriceSheet): boolean {
  return (
    TOKEN_FIELDS.every((f) => p[SHEET_FIELD[f]] === null) &&
    p.images.length === 0 &&
    p.imageMicros === null &&
    p.videoMicrosPerSecond === null &&
    p.requestMicros === null
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
