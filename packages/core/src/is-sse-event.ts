/** The field names of the SSE format (WHATWG HTML, server-sent events). */
const SSE_FIELDS: ReadonlySet<string> = new Set(['data', 'event', 'id', 'retry']);

/**
 * Whether one event (its text up to and including the blank line that ends it) is server-sent events: every
 * line a comment (`:…`), empty, or one of the four SSE fields. The format itself ignores unknown field names,
 * so an HTML page split at its blank lines would parse as empty events; a gateway checking that an upstream
 * answered with a stream at all must be stricter than that.
 */
export function isSseEvent(event: string): boolean {
  let start = 0;
  while (start < event.length) {
    let end = event.indexOf('\n', start);
    if (end === -1) end = event.length;
    const lineEnd = end > start && event.charCodeAt(end - 1) === 13 ? end - 1 : end;
    if (lineEnd > start && event.charCodeAt(start) !== 58) {
      const colon = event.indexOf(':', start);
      const nameEnd = colon === -1 || colon > lineEnd ? lineEnd : colon;
      if (!SSE_FIELDS.has(event.slice(start, nameEnd))) return false;
    }
    start = end + 1;
  }
  return true;
}
