import { fail, gatewayError, ok, type Result } from './gateway-error';

/**
 * The most choices one chat request may ask for: OpenAI's own ceiling for `n`. A cap matters to budgets:
 * the worst case reserved before forwarding is multiplied by it.
 */
export const MAX_CHOICES = 128;

/**
 * The number of choices (`n`) a chat request asks for: 1 when absent or null, else a whole number from 1 to
 * {@link MAX_CHOICES}. Every choice is billed its own completion tokens, so a hard budget's worst case
 * multiplies the output bound by it.
 */
export function readChoiceCount(body: Record<string, unknown>): Result<number> {
  const n = body.n;
  if (n === undefined || n === null) return ok(1);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_CHOICES) {
    return fail(
      gatewayError(
        'invalid_request',
        `Invalid value for 'n': expected an integer from 1 to ${MAX_CHOICES}.`,
        'n',
      ),
    );
  }
  return ok(n);
}
