import { fail, gatewayError, ok, type Result } from './gateway-error';

/**
 * The most choices one chat request may ask for: OpenAI's own ceiling for `n`. A cap matters to budgets:
 * the worst case reserved before forwarding is multiplied by it.
 */
export const MAX_CHOICES = 128;

/** Body fields whose value multiplies the completions an upstream generates (and bills). */
const CHOICE_FIELDS = ['n', 'best_of'] as const;

/**
 * How many completions a chat request makes the upstream generate: the larger of `n` and `best_of` (OpenAI
 * dropped `best_of` from chat, but OpenAI-compatible servers such as vLLM still accept it, generate that
 * many and keep `n`; the body passes through, so it must be bounded too). Each is 1 when absent or null, else
 * a whole number from 1 to {@link MAX_CHOICES}. Every completion is billed its own output tokens, so a hard
 * budget's worst case multiplies the output bound by this.
 */
export function readChoiceCount(body: Record<string, unknown>): Result<number> {
  let choices = 1;
  for (const field of CHOICE_FIELDS) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_CHOICES) {
      return fail(
        gatewayError(
          'invalid_request',
          `Invalid value for '${field}': expected an integer from 1 to ${MAX_CHOICES}.`,
          field,
        ),
      );
    }
    if (value > choices) choices = value;
  }
  return ok(choices);
}
