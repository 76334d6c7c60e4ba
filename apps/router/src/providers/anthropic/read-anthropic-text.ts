import { isRecordValue } from './is-record-value';

/** The generated text of content blocks: text, thinking, and tool_use names and inputs (for token estimates). */
function blocksText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const block of content) {
    if (!isRecordValue(block)) continue;
    if (typeof block.text === 'string') text += block.text;
    if (typeof block.thinking === 'string') text += block.thinking;
    if (block.type === 'tool_use') {
      if (typeof block.name === 'string') text += block.name;
      if (block.input !== undefined) text += JSON.stringify(block.input) ?? '';
    }
  }
  return text;
}

/** The generated text of a complete Anthropic Message; '' for anything else. Never throws. */
export function readAnthropicResponseText(body: unknown): string {
  return isRecordValue(body) ? blocksText(body.content) : '';
}

/**
 * The generated text one Anthropic stream event carries: text, thinking and tool input deltas, and the name of
 * a tool_use block as it starts. '' for other events and for what does not parse. Never throws.
 */
export function readAnthropicStreamText(data: string): string {
  if (!data.includes('"content_block_')) return '';
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch {
    return '';
  }
  if (!isRecordValue(event)) return '';
  if (event.type === 'content_block_start') {
    const block = event.content_block;
    return isRecordValue(block) && typeof block.name === 'string' ? block.name : '';
  }
  if (event.type !== 'content_block_delta' || !isRecordValue(event.delta)) return '';
  const delta = event.delta;
  for (const field of ['text', 'thinking', 'partial_json']) {
    if (typeof delta[field] === 'string') return delta[field] as string;
  }
  return '';
}
