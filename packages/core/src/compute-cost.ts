import type { PriceSheet, TokenPrices } from './price-sheet';
import { divideRoundHalfUp } from './usd-micros';

/**
 * What one request consumed, normalised by the provider adapter to one convention (OpenAI's): the parts are
 * subsets of the totals, never added on top of them.
 * - `inputTokens` is the whole prompt: uncached tokens + cache reads + cache writes. (Anthropic reports the
 *   three apart; its adapter sums them.)
 * - `outputTokens` is the whole completion including reasoning tokens. (Gemini reports thoughts apart; its
 *   adapter adds them in.)
 * Omitted counts are zero. `requests` defaults to 1 and only matters when the sheet has a per-request fee.
 */
export interface BillableUsage {
  inputTokens?: number;
  /** Part of `inputTokens` read from the prompt cache. */
  cachedInputTokens?: number;
  /** Part of `inputTokens` written to the prompt cache. */
  cacheWriteTokens?: number;
  outputTokens?: number;
  /** Part of `outputTokens` spent reasoning. */
  reasoningTokens?: number;
  images?: readonly ImageUsage[];
  /** Whole seconds of generated video (providers bill whole seconds; the adapter rounds up). */
  videoSeconds?: number;
  requests?: number;
}

/** Images generated of one size and quality, as asked or as the upstream answered. */
export interface ImageUsage {
  size: string;
  quality: string;
  count: number;
}

/** One priced component of a request. */
export type CostComponent =
  | 'input'
  | 'cached_input'
  | 'cache_write'
  | 'output'
  | 'reasoning'
  | 'image'
  | 'video'
  | 'request';

/** One line of a cost breakdown. */
export interface CostLine {
  component: CostComponent;
  /** Tokens, images, seconds or requests. */
  quantity: number;
  /** The price applied: micro-USD per million tokens, or per image / second / request. */
  unitMicros: bigint;
  /** For images: "size/quality". */
  detail?: string;
  /**
   * Exact amount in pico-USD (10⁻¹² USD = 10⁻⁶ micro-USD): token lines are fractions of a micro-USD, and
   * keeping them exact lets the total round once.
   */
  picoUsd: bigint;
  /** `picoUsd` rounded half up to micro-USD, for display only: lines rounded apart need not sum to the total. */
  micros: bigint;
}

/** The cost of one request. */
export interface CostResult {
  /** Total in integer micro-USD: the exact sum of all lines, rounded half up once. This is what is billed. */
  micros: bigint;
  /** The exact, unrounded total in pico-USD. */
  picoUsd: bigint;
  lines: CostLine[];
  /**
   * Components the usage has but the sheet cannot price (e.g. `"output"`, `"image:1024x1024/hd"`,
   * `"video"`); they are left out of the total, so a non-empty list means the cost is incomplete and the row
   * must be flagged `unpriced` (or the request blocked, by route policy).
   */
  missing: string[];
  /** True when the long-context tier priced the tokens. */
  longContext: boolean;
}

const PICO_PER_MICRO = 1_000_000n;

/**
 * Prices one request against a sheet, exactly. Each component is computed in pico-USD (a per-million token
 * price times a token count is an integer number of pico-USD), summed, and rounded half up to micro-USD
 * once at the very end, so no rounding error accumulates across components and the same usage always
 * costs the same. Fallbacks: cache reads and writes without their own price bill at the input price,
 * reasoning tokens without their own price bill at the output price. When the reported parts exceed their
 * total (cached + cache-write > input, reasoning > output) the parts are billed as reported and the
 * remainder is zero, so an inconsistent report never makes tokens free.
 *
 * Throws RangeError for negative or fractional counts: an adapter bug, not an expected failure.
 */
export function computeCost(sheet: PriceSheet, usage: BillableUsage): CostResult {
  const bill = priceBill(sheet, usage, []);
  return {
    micros: divideRoundHalfUp(bill.picoUsd, PICO_PER_MICRO),
    picoUsd: bill.picoUsd,
    lines: bill.lines ?? [],
    missing: bill.missing ?? [],
    longContext: bill.longContext,
  };
}

/** What a usage row stores of a request's cost: {@link computeCost}'s total, and whether any part went unpriced. */
export interface CostTotal {
  /** The same total as {@link computeCost}'s `micros`. */
  micros: bigint;
  /** True when {@link computeCost}'s `missing` would not be empty. */
  incomplete: boolean;
}

/**
 * {@link computeCost}'s total without its breakdown: the router prices every request and reads only this, so
 * no line objects, line roundings or lists are built (~0.7 KB a request). Throws as computeCost does.
 */
export function computeCostTotal(sheet: PriceSheet, usage: BillableUsage): CostTotal {
  const bill = priceBill(sheet, usage, null);
  return { micros: divideRoundHalfUp(bill.picoUsd, PICO_PER_MICRO), incomplete: bill.missing !== null };
}

/** Prices every part of `usage`, into `lines` when a breakdown is wanted (null: the total alone). */
function priceBill(sheet: PriceSheet, usage: BillableUsage, lines: CostLine[] | null): Bill {
  const input = count(usage.inputTokens, 'inputTokens');
  const cached = count(usage.cachedInputTokens, 'cachedInputTokens');
  const cacheWrite = count(usage.cacheWriteTokens, 'cacheWriteTokens');
  const output = count(usage.outputTokens, 'outputTokens');
  const reasoning = count(usage.reasoningTokens, 'reasoningTokens');
  const videoSeconds = count(usage.videoSeconds, 'videoSeconds');
  const requests = usage.requests === undefined ? 1 : count(usage.requests, 'requests');

  const tier = sheet.longContext;
  const longContext = tier !== null && input > tier.aboveInputTokens;
  const prices: TokenPrices = longContext && tier ? tier : sheet;

  const inputPrice = prices.inputMicrosPerMillion;
  const outputPrice = prices.outputMicrosPerMillion;
  const bill: Bill = { lines, missing: null, picoUsd: 0n, longContext };
  addTokens(bill, 'input', Math.max(0, input - cached - cacheWrite), inputPrice);
  addTokens(bill, 'cached_input', cached, prices.cachedInputMicrosPerMillion ?? inputPrice);
  addTokens(bill, 'cache_write', cacheWrite, prices.cacheWriteMicrosPerMillion ?? inputPrice);
  addTokens(bill, 'output', Math.max(0, output - reasoning), outputPrice);
  addTokens(bill, 'reasoning', reasoning, prices.reasoningMicrosPerMillion ?? outputPrice);

  const images = usage.images ?? NO_IMAGES;
  for (let i = 0; i < images.length; i++) {
    const image = images[i] as (typeof images)[number];
    const n = count(image.count, `images[${i}].count`);
    addUnits(
      bill,
      'image',
      n,
      imageUnitPrice(sheet, image.size, image.quality),
      `${image.size}/${image.quality}`,
    );
  }
  addUnits(bill, 'video', videoSeconds, sheet.videoMicrosPerSecond);
  // A per-request fee that does not exist is not "missing": most models have none.
  if (sheet.requestMicros !== null) addUnits(bill, 'request', requests, sheet.requestMicros);
  return bill;
}

const NO_IMAGES: readonly never[] = [];

/**
 * The price of one image of `size` and `quality`: the sheet's entry for exactly that pair, else its flat
 * per-image price (`imageMicros`), else null (the image is unpriced).
 */
export function imageUnitPrice(sheet: PriceSheet, size: string, quality: string): bigint | null {
  const images = sheet.images;
  for (let i = 0; i < images.length; i++) {
    const price = images[i] as (typeof images)[number];
    if (price.size === size && price.quality === quality) return price.microsPerImage;
  }
  return sheet.imageMicros;
}

/** A cost being computed: its exact running total, its lines when a breakdown is wanted, the unpriced parts. */
interface Bill {
  lines: CostLine[] | null;
  /** Null until a part has no price. */
  missing: string[] | null;
  picoUsd: bigint;
  longContext: boolean;
}

// Module-level rather than closures inside computeCost: it runs twice per request (worst case, then actual),
// and the TypeScript loader names every closure it creates with a defineProperty call (measured in bench/).
function addTokens(bill: Bill, component: CostComponent, quantity: number, price: bigint | null): void {
  if (quantity === 0) return;
  if (price === null) {
    addMissing(bill, component);
    return;
  }
  addLine(bill, component, quantity, price, BigInt(quantity) * price);
}

function addUnits(
  bill: Bill,
  component: CostComponent,
  quantity: number,
  price: bigint | null,
  detail?: string,
): void {
  if (quantity === 0) return;
  if (price === null) {
    addMissing(bill, detail === undefined ? component : `${component}:${detail}`);
    return;
  }
  addLine(bill, component, quantity, price, BigInt(quantity) * price * PICO_PER_MICRO, detail);
}

function addMissing(bill: Bill, part: string): void {
  if (bill.missing === null) bill.missing = [part];
  else bill.missing.push(part);
}

function addLine(
  bill: Bill,
  component: CostComponent,
  quantity: number,
  unitMicros: bigint,
  picoUsd: bigint,
  detail?: string,
): void {
  bill.picoUsd += picoUsd;
  if (bill.lines === null) return;
  const line: CostLine = {
    component,
    quantity,
    unitMicros,
    picoUsd,
    micros: divideRoundHalfUp(picoUsd, PICO_PER_MICRO),
  };
  if (detail !== undefined) line.detail = detail;
  bill.lines.push(line);
}

function count(value: number | undefined, field: string): number {
  if (value === undefined) return 0;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`computeCost: ${field} must be a non-negative integer; got ${value}.`);
  }
  return value;
}
