/** Chat request fields whose Responses name differs, by the first segment of the path; the rest is kept. */
const RENAMED: ReadonlyMap<string, string> = new Map([
  ['reasoning_effort', 'reasoning.effort'],
  ['verbosity', 'text.verbosity'],
  ['max_tokens', 'max_output_tokens'],
  ['max_completion_tokens', 'max_output_tokens'],
]);

/**
 * The Responses field a translated chat request's field came from (core `responsesToChatRequest`), so an error an
 * upstream adapter raises on the chat body (`unsupported_feature` naming `response_format.type`) names what the
 * Responses caller sent (`text.format.type`). `messages…` name positions in a list Responses does not have (its
 * instructions and items regroup into messages): they map to `input`. A path with no Responses counterpart is
 * returned as it is.
 */
export function responsesParamOfChatParam(param: string): string {
  const match = /^([a-z_]+)(.*)$/.exec(param);
  if (match === null) return param;
  const head = match[1] as string;
  const rest = match[2] as string;
  // A Map, not an object: a caller's `__proto__` or `constructor` must not find Object.prototype's members.
  const renamed = RENAMED.get(head);
  if (renamed !== undefined) return `${renamed}${rest}`;
  switch (head) {
    case 'messages':
      return 'input';
    case 'response_format':
      // Responses flattens json_schema into text.format: {type, name, schema, strict}.
      return `text.format${rest.startsWith('.json_schema') ? rest.slice('.json_schema'.length) : rest}`;
    case 'tools':
      // A Responses function tool is flat: {type, name, description, parameters, strict}; indices carry over.
      return `tools${rest.replace(/^(\[\d+\])\.function(?=\.|$)/, '$1')}`;
    case 'tool_choice':
      return `tool_choice${rest.replace(/^\.function(?=\.|$)/, '')}`;
    default:
      return param;
  }
}
