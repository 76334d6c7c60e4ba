import { BASE62_ALPHABET, randomBase62 } from './random-base62';

const TIME_CHARS = 8;
const RANDOM_CHARS = 12;

/**
 * A readable, roughly time-ordered id: `${prefix}_` + 8 base62 chars of epoch ms + 12 random base62 chars
 * (~71 random bits), e.g. `key_0TqLdZ4x3kP9aQmR2vYb`. Time-ordered ids keep B-tree inserts local.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  return `${prefix}_${encodeTime(now)}${randomBase62(RANDOM_CHARS)}`;
}

function encodeTime(ms: number): string {
  let rest = Math.max(0, Math.floor(ms));
  let out = '';
  for (let i = 0; i < TIME_CHARS; i++) {
    out = BASE62_ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}
