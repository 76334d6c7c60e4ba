import {
  type AttemptErrorClass,
  type AttemptRecord,
  STORED_TEXT_LIMITS,
  storableText,
  type UsageEventRecord,
} from '@switchyard/core';

const { model, endUser, metadataEntry, tag, tags, identifier } = STORED_TEXT_LIMITS;

/**
 * A serialized row holds text PostgreSQL refuses: JSON.stringify writes NUL as `\u0000` and an unpaired surrogate
 * as a `\udXXX` escape (a pair is written as the character itself), and jsonb refuses both escapes. A literal
 * backslash before such letters in a string also matches; that only sends the event down the slow path.
 */
const UNSTORABLE_ESCAPE = /\\u(?:0000|d[89a-f])/;

const over = (value: string | null, max: number) => value !== null && value.length > max;

/**
 * True when `json` (the event serialized as is) can be stored: no escape jsonb refuses and every string within its
 * column's limit. Reads a few lengths and scans the JSON once: the cost a clean event pays on the hot path.
 */
export function isStorableUsageRow(event: UsageEventRecord, json: string): boolean {
  // `includes` is a native substring search, several times cheaper than the regex; clean rows rarely hold `\u`.
  if (json.includes('\\u') && UNSTORABLE_ESCAPE.test(json)) return false;
  if (
    over(event.requestedModel, model) ||
    over(event.servedModel, model) ||
    over(event.endUser, endUser) ||
    over(event.requestId, identifier) ||
    over(event.keyId, identifier) ||
    over(event.teamId, identifier) ||
    over(event.environment, identifier) ||
    over(event.routeId, identifier) ||
    over(event.servedProviderId, identifier) ||
    over(event.servedAccountId, identifier) ||
    over(event.ownerId, identifier) ||
    over(event.errorClass, identifier) ||
    event.tags.length > tags
  ) {
    return false;
  }
  for (const t of event.tags) if (t.length > tag) return false;
  for (const a of event.attempts) {
    if (
      over(a.model, model) ||
      over(a.errorClass, identifier) ||
      over(a.accountId, identifier) ||
      over(a.targetId, identifier) ||
      over(a.providerId, identifier)
    ) {
      return false;
    }
  }
  if (event.metadata !== null) {
    for (const key in event.metadata) {
      if (key.length > metadataEntry || (event.metadata[key]?.length ?? 0) > metadataEntry) return false;
    }
  }
  return true;
}

const text = (value: string, max: number) => storableText(value, max);
const textOrNull = (value: string | null, max: number) => (value === null ? null : storableText(value, max));

/**
 * A copy of `event` that PostgreSQL will store: in every string (including tags from older data, metadata and the
 * attempts' upstream-derived fields) NUL is removed, unpaired surrogates become U+FFFD, and lengths are cut to
 * STORED_TEXT_LIMITS. The router validates what clients send before this; this is the defence in depth for
 * everything else, so a row is never refused for its strings.
 */
export function storableUsageEvent(event: UsageEventRecord): UsageEventRecord {
  // fromEntries defines own properties: a caller's "__proto__" key stays a key instead of setting a prototype.
  const metadata =
    event.metadata === null
      ? null
      : Object.fromEntries(
          Object.entries(event.metadata).map(([key, value]) => [
            text(key, metadataEntry),
            text(String(value), metadataEntry),
          ]),
        );
  return {
    ...event,
    requestId: text(event.requestId, identifier),
    keyId: textOrNull(event.keyId, identifier),
    teamId: textOrNull(event.teamId, identifier),
    environment: textOrNull(event.environment, identifier),
    requestedModel: text(event.requestedModel, model),
    routeId: textOrNull(event.routeId, identifier),
    servedProviderId: textOrNull(event.servedProviderId, identifier),
    servedAccountId: textOrNull(event.servedAccountId, identifier),
    servedModel: textOrNull(event.servedModel, model),
    errorClass: textOrNull(event.errorClass, identifier),
    ownerId: textOrNull(event.ownerId, identifier),
    tags: event.tags.slice(0, tags).map((t) => text(t, tag)),
    endUser: textOrNull(event.endUser, endUser),
    metadata,
    attempts: event.attempts.map(
      (a): AttemptRecord => ({
        ...a,
        targetId: text(a.targetId, identifier),
        accountId: text(a.accountId, identifier),
        providerId: text(a.providerId, identifier),
        model: text(a.model, model),
        // A closed-set identifier: cleaning it changes it only if something other than the router wrote it.
        errorClass: textOrNull(a.errorClass, identifier) as AttemptErrorClass | null,
      }),
    ),
    // Bodies are already cut to the capture cap; only what jsonb refuses is cleaned here.
    payload:
      event.payload == null
        ? null
        : {
            ...event.payload,
            request: text(event.payload.request, event.payload.request.length),
            response: text(event.payload.response, event.payload.response.length),
          },
  };
}
