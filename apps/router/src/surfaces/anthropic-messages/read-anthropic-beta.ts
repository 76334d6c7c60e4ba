import type { IncomingMessage } from 'node:http';

/**
 * The caller's `anthropic-beta` header (beta features such as a longer context or interleaved thinking), kept for
 * an Anthropic upstream on the fast path: without it the features would be dropped unseen. Repeated headers are
 * joined with commas, as Anthropic reads a list. Null without one. A translated request cannot carry it; its
 * body's beta-only parts are refused by the translation instead.
 */
export function readAnthropicBeta(req: IncomingMessage): Readonly<Record<string, string>> | null {
  const beta = req.headers['anthropic-beta'];
  const value = Array.isArray(beta) ? beta.join(',') : beta;
  return value === undefined || value.trim() === '' ? null : { 'anthropic-beta': value.trim() };
}
