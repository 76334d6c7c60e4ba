import { fail, type GatewayError, gatewayError, ok, type Result } from '../../gateway-error';

/**
 * A translation refused part-way through a deeply nested body. Thrown only inside this folder and always caught
 * by {@link translateOrRefuse}, so the exported translators return results and never throw.
 */
class Refusal {
  constructor(readonly error: GatewayError) {}
}

/** Malformed input: `invalid_request` naming the field. */
export function invalid(message: string, param: string): never {
  throw new Refusal(gatewayError('invalid_request', message, param));
}

/** A feature the other side cannot honour: `unsupported_feature` naming it. */
export function unsupported(message: string, param: string): never {
  throw new Refusal(gatewayError('unsupported_feature', message, param));
}

/** Runs a translation, turning a refusal (or any surprise) into a failed result. */
export function translateOrRefuse<T>(translate: () => T): Result<T> {
  try {
    return ok(translate());
  } catch (error) {
    if (error instanceof Refusal) return fail(error.error);
    return fail(gatewayError('invalid_request', 'The request body could not be translated.'));
  }
}
