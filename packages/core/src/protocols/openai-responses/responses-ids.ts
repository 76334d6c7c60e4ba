/**
 * The ids of one translated Response: `resp_…` for the response, `msg_…` for its messages and `fc_…` for its
 * function calls, all from one base so they are deterministic (core has no randomness of its own) and the
 * caller's later `function_call` items can be told apart by their `call_id`, not these.
 */
export interface ResponsesIds {
  response: string;
  message(index: number): string;
  functionCall(index: number): string;
}

/**
 * Ids derived from `base` (a request id, or the upstream's completion id): its letters and digits after any
 * `resp_`/`chatcmpl-` prefix.
 */
export function responsesIds(base: string): ResponsesIds {
  const suffix = base.replace(/^(resp_|chatcmpl-)/, '').replace(/[^A-Za-z0-9]/g, '') || '0';
  return {
    response: `resp_${suffix}`,
    message: (index) => (index === 0 ? `msg_${suffix}` : `msg_${suffix}_${index}`),
    functionCall: (index) => `fc_${suffix}_${index}`,
  };
}
