/**
 * Response ids that name the target that holds them, so `previous_response_id` can be sent back to it from any
 * router instance without shared state: an upstream's `resp_<rest>` goes to the caller as
 * `resp_<tag>_<rest>`, the tag being the target id with `_` written `-` (target ids are `tgt_<base62>`), and is
 * read back when the caller continues the conversation.
 */

const TAGGABLE_TARGET = /^[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+$/;
const TAG = /^[A-Za-z0-9-]+$/;

/** The tag of a target id, or null when its id cannot be written as one (the response then stays untagged). */
export function responseTag(targetId: string): string | null {
  return TAGGABLE_TARGET.test(targetId) ? targetId.replaceAll('_', '-') : null;
}

/** `resp_<rest>` as the caller sees it when `targetId`'s upstream answered it. */
export function tagResponseId(upstreamId: string, tag: string): string {
  return upstreamId.startsWith('resp_') ? `resp_${tag}_${upstreamId.slice(5)}` : upstreamId;
}

/** The target and upstream id a tagged id stands for; null when `id` is not one this gateway wrote. */
export function readTaggedResponseId(id: string): { targetId: string; upstreamId: string } | null {
  if (!id.startsWith('resp_')) return null;
  const end = id.indexOf('_', 5);
  if (end < 0) return null;
  const tag = id.slice(5, end);
  const rest = id.slice(end + 1);
  if (!TAG.test(tag) || !tag.includes('-') || rest.length === 0) return null;
  return { targetId: tag.replaceAll('-', '_'), upstreamId: `resp_${rest}` };
}

/** The JSON members holding a response id in a Response or its stream events. */
const RESPONSE_ID_MEMBER = /("(?:id|previous_response_id)"\s*:\s*")resp_/g;

/**
 * Tags every response id in an upstream's JSON text (a Response, or one SSE event of its stream) as its raw
 * text: no parse, every other byte as sent. A `resp_` inside a string value cannot match: there its quotes are
 * escaped.
 */
export function tagResponseIdsInText(text: string, tag: string): string {
  return text.replace(RESPONSE_ID_MEMBER, `$1resp_${tag}_`);
}
