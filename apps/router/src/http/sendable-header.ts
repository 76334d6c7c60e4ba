/** Characters Node sends in a header value as they are (tab, printable ASCII); anything else needs encoding. */
const SENDABLE = /^[\t\x20-\x7e]*$/;

/**
 * A configured name (provider, account, route, model) as a response header value. Names are free text in the
 * console; one Node cannot send (`账户`, a newline) would make `writeHead` throw and fail an answer the upstream
 * already gave. Such a value is percent-encoded (decodeURIComponent reads it back); plain ASCII passes as is.
 */
export function sendableHeader(name: string): string {
  return SENDABLE.test(name) ? name : encodeURIComponent(name);
}
