import type { Result } from '../../gateway-error';
import { isRecord } from './is-record';
import { invalid, translateOrRefuse } from './refusal';

/**
 * The text a `POST /v1/messages/count_tokens` body (or a Messages body) holds, for the router to count with its
 * own tokenizer when the upstream that serves the model cannot count: the system prompt, every text block,
 * tool_use names and inputs, tool results, and the tool definitions (name, description, input schema as JSON),
 * one piece a line. Images and other non-text blocks add nothing (the router may add a per-image allowance).
 * Malformed bodies are `invalid_request` naming the field. Never throws.
 */
export function anthropicCountTokensText(body: unknown): Result<string> {
  return translateOrRefuse(() => collect(body).join('\n'));
}

function collect(body: unknown): string[] {
  if (!isRecord(body)) return invalid('The request body must be a JSON object.', '');
  if (!Array.isArray(body.messages)) return invalid('`messages` must be an array.', 'messages');
  const pieces: string[] = [];
  addContent(pieces, body.system, 'system');
  body.messages.forEach((message, index) => {
    if (!isRecord(message)) invalid('A message must be an object.', `messages[${index}]`);
    addContent(pieces, (message as Record<string, unknown>).content, `messages[${index}].content`);
  });
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) invalid('`tools` must be an array.', 'tools');
    for (const tool of body.tools as unknown[]) {
      if (!isRecord(tool)) continue;
      for (const field of ['name', 'description']) {
        if (typeof tool[field] === 'string') pieces.push(tool[field] as string);
      }
      if (tool.input_schema !== undefined) pieces.push(JSON.stringify(tool.input_schema));
    }
  }
  return pieces;
}

function addContent(pieces: string[], content: unknown, param: string): void {
  if (content === undefined || content === null) return;
  if (typeof content === 'string') {
    pieces.push(content);
    return;
  }
  if (!Array.isArray(content)) invalid('`content` must be a string or an array of blocks.', param);
  content.forEach((block, index) => {
    if (!isRecord(block)) return;
    if (typeof block.text === 'string') pieces.push(block.text);
    if (block.type === 'tool_use') {
      if (typeof block.name === 'string') pieces.push(block.name);
      if (block.input !== undefined) pieces.push(JSON.stringify(block.input));
    }
    if (block.type === 'tool_result') addContent(pieces, block.content, `${param}[${index}].content`);
  });
}
