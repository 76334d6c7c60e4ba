/**
 * What the caller is told when the last upstream answered with something that is not an answer
 * (`invalid_response`): a redirect, which the gateway never follows, or a 2xx in the wrong format.
 */
export function invalidResponseMessage(status: number | null, stream: boolean): string {
  if (status !== null && status >= 300 && status < 400) {
    return `The upstream provider answered with a redirect (${status}); the gateway does not follow redirects.`;
  }
  const what = stream ? 'an event stream' : 'JSON';
  return `The upstream provider answered${status === null ? '' : ` ${status}`} with a body that is not ${what}.`;
}
