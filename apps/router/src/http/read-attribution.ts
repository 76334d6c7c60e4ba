import type { IncomingMessage } from 'node:http';
import {
  describeStorableTextIssue,
  fail,
  gatewayError,
  ok,
  type Result,
  STORED_TEXT_LIMITS,
  type StorableTextIssue,
  storableTextIssue,
} from '@switchyard/core';

/** Caller-supplied string pairs stored on the usage row; never forwarded upstream. */
export const METADATA_HEADER = 'x-switchyard-metadata';
const MAX_METADATA_KEYS = 16;
const MAX_METADATA_BYTES = 2_048;
const MAX_END_USER_CHARS = STORED_TEXT_LIMITS.endUser;

/** Who a request is for, beyond its key: stored on the usage row. */
export interface Attribution {
  /** The OpenAI `user` field. */
  endUser: string | null;
  metadata: Record<string, string> | null;
}

const NONE: Attribution = { endUser: null, metadata: null };

/**
 * Reads the request's attribution: the body's `user` (a string of at most 256 characters) and the
 * `x-switchyard-metadata` header (a JSON object of string values, at most 16 keys and 2 KiB). Both are stored on
 * the usage row, so NUL and unpaired surrogates are refused too. Anything else is a 400 naming the field, before
 * the request reaches an upstream. Requests with neither allocate nothing.
 */
export function readAttribution(req: IncomingMessage, body: Record<string, unknown>): Result<Attribution> {
  const user = body.user;
  const header = req.headers[METADATA_HEADER];
  if (user === undefined && header === undefined) return ok(NONE);
  let endUser: string | null = null;
  if (user !== undefined && user !== null) {
    if (typeof user !== 'string') {
      return fail(gatewayError('invalid_request', "Invalid type for 'user': expected a string.", 'user'));
    }
    const issue = storableTextIssue(user, MAX_END_USER_CHARS);
    if (issue) {
      return fail(
        gatewayError(
          'invalid_request',
          describeStorableTextIssue('user', issue, MAX_END_USER_CHARS, user.length),
          'user',
        ),
      );
    }
    endUser = user;
  }
  if (header === undefined) return ok({ endUser, metadata: null });
  const metadata = parseMetadata(Array.isArray(header) ? header.join(',') : header);
  if (!metadata.ok) return metadata;
  return ok({ endUser, metadata: metadata.value });
}

const ISSUE_TEXT: Record<StorableTextIssue, string> = {
  nul: 'contains a NUL character',
  lone_surrogate: 'contains an unpaired UTF-16 surrogate (not valid Unicode text)',
  too_long: `is longer than ${STORED_TEXT_LIMITS.metadataEntry} characters`,
};

function parseMetadata(text: string): Result<Record<string, string>> {
  const invalid = (why: string) =>
    fail(gatewayError('invalid_request', `Invalid '${METADATA_HEADER}' header: ${why}`, METADATA_HEADER));
  // Node hands header values over as latin1, one char per byte: length is the byte size. Raw UTF-8 bytes
  // (what curl sends) are recovered by re-decoding; text that is not valid UTF-8 is taken as latin1.
  if (text.length > MAX_METADATA_BYTES) return invalid(`at most ${MAX_METADATA_BYTES} bytes.`);
  const utf8 = Buffer.from(text, 'latin1').toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(utf8.includes('\uFFFD') ? text : utf8);
  } catch {
    return invalid('expected a JSON object of string values.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid('expected a JSON object of string values.');
  }
  const entries = Object.entries(value);
  if (entries.length > MAX_METADATA_KEYS) return invalid(`at most ${MAX_METADATA_KEYS} keys.`);
  // Keys and values are stored on the usage row: NUL and unpaired surrogates (valid JSON escapes, but not text
  // PostgreSQL stores) are refused here, before any upstream call. The 2 KiB cap above bounds their length.
  for (const [key, v] of entries) {
    const keyIssue = storableTextIssue(key, STORED_TEXT_LIMITS.metadataEntry);
    if (keyIssue) return invalid(`a key ${ISSUE_TEXT[keyIssue]}.`);
    if (typeof v !== 'string') return invalid(`the value of '${key}' must be a string.`);
    const valueIssue = storableTextIssue(v, STORED_TEXT_LIMITS.metadataEntry);
    if (valueIssue) return invalid(`the value of '${key}' ${ISSUE_TEXT[valueIssue]}.`);
  }
  return ok(value as Record<string, string>);
}
