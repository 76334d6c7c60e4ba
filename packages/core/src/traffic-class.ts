import { fail, gatewayError, ok, type Result } from './gateway-error';

/**
 * What kind of traffic a request is. A closed set: each route has one policy per class (which failover rungs,
 * how many attempts, which timeouts), so an unknown class would have no policy to apply.
 * - `interactive`: a person is waiting; short deadline.
 * - `background`: batch and offline jobs; long deadline, may wait out a rate limit.
 * - `evaluation`: benchmarks and evals; the model must never change.
 * - `media`: image, audio and video generation; slow first byte, expensive to repeat.
 * - `agent`: multi-step tool loops; long generations, model changes mid-run are risky.
 */
export type TrafficClass = 'interactive' | 'background' | 'evaluation' | 'media' | 'agent';

/** Every traffic class, in display order. */
export const TRAFFIC_CLASSES: readonly TrafficClass[] = Object.freeze([
  'interactive',
  'background',
  'evaluation',
  'media',
  'agent',
]);

/** Request header a caller uses to pick a traffic class (bounded to what its key allows). */
export const TRAFFIC_CLASS_HEADER = 'x-switchyard-traffic-class';

/** Longest header value echoed back in an error message. */
const ECHO_LIMIT = 40;

export function isTrafficClass(value: string): value is TrafficClass {
  return (TRAFFIC_CLASSES as readonly string[]).includes(value);
}

/**
 * Resolves a request's traffic class from the `x-switchyard-traffic-class` header value. An absent or blank
 * header means the key's default (`fallback`, trusted: key configuration is validated when saved). The value
 * is trimmed and case-insensitive. `allowed` is the key's allow-list; empty allows every class, as an empty
 * model allow-list allows every model. Anything unknown or not allowed is a 400 naming the header.
 */
export function parseTrafficClass(
  value: string | undefined,
  allowed: readonly TrafficClass[],
  fallback: TrafficClass,
): Result<TrafficClass> {
  if (value === undefined) return ok(fallback);
  const normalized = value.trim().toLowerCase();
  if (normalized === '') return ok(fallback);
  if (!isTrafficClass(normalized)) {
    return fail(
      gatewayError(
        'invalid_request',
        `Invalid value for '${TRAFFIC_CLASS_HEADER}': '${echo(value.trim())}' is not a traffic class; expected one of ${TRAFFIC_CLASSES.join(', ')}.`,
        TRAFFIC_CLASS_HEADER,
      ),
    );
  }
  if (allowed.length > 0 && !allowed.includes(normalized)) {
    return fail(
      gatewayError(
        'invalid_request',
        `Invalid value for '${TRAFFIC_CLASS_HEADER}': this API key may not use traffic class '${normalized}'; allowed: ${allowed.join(', ')}.`,
        TRAFFIC_CLASS_HEADER,
      ),
    );
  }
  return ok(normalized);
}

function echo(value: string): string {
  return value.length > ECHO_LIMIT ? `${value.slice(0, ECHO_LIMIT)}…` : value;
}
