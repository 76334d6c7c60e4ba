/**
 * Longest strings (UTF-16 code units, what `.length` counts) a usage row stores per field. Client-supplied values
 * over a limit are a 400 naming the field; values from anywhere else (configuration, upstreams, older data) are
 * cut to it when the row is serialized. The model columns are part of the usage rollups' primary key, whose
 * B-tree entries must stay well under PostgreSQL's ~2.7 KB limit (a 6,000-character model was refused with
 * "index row requires 18072 bytes"); 256 characters are at most 768 bytes of UTF-8.
 */
export const STORED_TEXT_LIMITS = {
  /** The requested (public) model and the served upstream model. */
  model: 256,
  /** The OpenAI `user` field. */
  endUser: 256,
  /** Each key and each value of `x-switchyard-metadata` (the header as a whole is capped at 2 KiB). */
  metadataEntry: 2_048,
  /** Each API key tag. */
  tag: 64,
  /** How many tags a row keeps. */
  tags: 32,
  /** Ids, the key's environment, status and error class. */
  identifier: 128,
} as const;
