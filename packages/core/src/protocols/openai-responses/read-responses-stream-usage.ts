import type { UsageReport } from '../../usage-report';
import { readOpenAiUsage } from '../read-openai-usage';

/** The events that end a Responses stream and carry the whole response, with its usage. */
const TERMINAL = ['"response.completed"', '"response.incomplete"', '"response.failed"'];

/**
 * The usage one Responses SSE event reports, for relaying an upstream's stream as bytes (the fast path) while
 * reading usage on the side: only the terminal events (`response.completed`, `response.incomplete`,
 * `response.failed`) carry it, in `response.usage`. Other events are skipped without parsing them, so the
 * text deltas cost a substring check. Null when the event reports none; never throws.
 */
export function readResponsesStreamUsage(data: string): UsageReport | null {
  if (!TERMINAL.some((type) => data.includes(type))) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const event = parsed as Record<string, unknown>;
  if (typeof event.type !== 'string' || !TERMINAL.includes(`"${event.type}"`)) return null;
  const response = event.response;
  if (typeof response !== 'object' || response === null) return null;
  return readOpenAiUsage((response as Record<string, unknown>).usage, 'responses');
}
