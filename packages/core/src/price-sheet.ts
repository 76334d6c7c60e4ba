/**
 * Per-token prices of one model, in integer micro-USD per million tokens. `null` means the provider does
 * not sell that kind of token separately; {@link computeCost} then falls back as documented on each field.
 */
export interface TokenPrices {
  /** Uncached prompt tokens. `null` for models that take no token input (some image/video models). */
  inputMicrosPerMillion: bigint | null;
  /** Completion tokens. `null` for models that produce no tokens. */
  outputMicrosPerMillion: bigint | null;
  /** Prompt tokens read from the provider's prompt cache. `null` → billed at the input price. */
  cachedInputMicrosPerMillion: bigint | null;
  /** Prompt tokens written to the prompt cache (Anthropic's cache_creation). `null` → billed at the input price. */
  cacheWriteMicrosPerMillion: bigint | null;
  /** Reasoning ("thinking") tokens when priced apart from output. `null` → billed at the output price. */
  reasoningMicrosPerMillion: bigint | null;
}

/**
 * Token prices that replace the base ones for a whole request once its prompt is long: Gemini 2.5 Pro and
 * Claude's 1M-context models charge more, on every token of the request, above 200k prompt tokens.
 */
export interface LongContextTier extends TokenPrices {
  /** The tier applies when the prompt (input tokens, cache reads and writes included) exceeds this. */
  aboveInputTokens: number;
}

/** Price of one generated image of a given size and quality (e.g. "1024x1024" / "hd"), in micro-USD. */
export interface ImagePrice {
  size: string;
  quality: string;
  microsPerImage: bigint;
}

/**
 * Everything one model costs, in integer micro-USD: tokens (per million), images (each, by size and
 * quality), video (per second) and a flat fee per request. A sheet is the unit of price history: the
 * catalog keeps one per (provider, model, effective-from) so past requests re-price exactly.
 */
export interface PriceSheet extends TokenPrices {
  /** Higher token prices above a prompt-size threshold, or `null` when the model has one price band. */
  longContext: LongContextTier | null;
  /** Per-image prices by size and quality; empty when the model does not generate images. */
  images: readonly ImagePrice[];
  /**
   * Per generated image of any size and quality `images` does not list (a flat per-image price), or `null`.
   * Asked sizes are often unset or `auto`, which a size-specific list cannot name.
   */
  imageMicros: bigint | null;
  /** Per second of generated video, or `null`. */
  videoMicrosPerSecond: bigint | null;
  /** Flat fee added once per request (some search/tool models), or `null`. */
  requestMicros: bigint | null;
}

/** A sheet that prices nothing; spread it and set the fields a model has. */
export const EMPTY_PRICE_SHEET: PriceSheet = Object.freeze({
  inputMicrosPerMillion: null,
  outputMicrosPerMillion: null,
  cachedInputMicrosPerMillion: null,
  cacheWriteMicrosPerMillion: null,
  reasoningMicrosPerMillion: null,
  longContext: null,
  images: Object.freeze([]) as readonly ImagePrice[],
  imageMicros: null,
  videoMicrosPerSecond: null,
  requestMicros: null,
});
