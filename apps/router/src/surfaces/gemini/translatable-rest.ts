import {
  type ChatRequestBody,
  type GatewayError,
  type GeminiRequestTarget,
  geminiToChatRequest,
  type Result,
} from '@switchyard/core';

/** Fields removed at most before giving up on the body's structure (each refusal names one). */
const MAX_REMOVALS = 32;

/**
 * The canonical request of what another protocol could carry of a Gemini body that `geminiToChatRequest` refused
 * as `unsupported_feature` (`safetySettings`, `generationConfig.thinkingConfig`, an audio part, …): the refused
 * fields removed one by one, as each refusal names it. Limits and budgets read it (the prompt, max tokens), while
 * the body itself still goes unchanged to a Gemini upstream. When a refusal names no removable field, the text
 * of the body as one user message.
 */
export function translatableRest(
  body: Record<string, unknown>,
  target: GeminiRequestTarget,
  refusal: GatewayError,
): ChatRequestBody {
  const rest: unknown = structuredClone(body);
  let error: GatewayError = refusal;
  for (let i = 0; i < MAX_REMOVALS && error.code === 'unsupported_feature'; i++) {
    if (error.param === null || !removeAt(rest, error.param)) break;
    const again: Result<ChatRequestBody> = geminiToChatRequest(rest, target);
    if (again.ok) return again.value;
    error = again.error;
  }
  return { model: target.model, messages: [{ role: 'user', content: textOf(body.contents) }] };
}

/** Removes the field a param names (`generationConfig.topK`, `contents[0].parts[1]`); false when there is none. */
function removeAt(root: unknown, param: string): boolean {
  const steps = [...param.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) =>
    m[2] === undefined ? (m[1] as string) : Number(m[2]),
  );
  let at: unknown = root;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as string | number;
    if (typeof at !== 'object' || at === null) return false;
    const container = at as Record<string | number, unknown>;
    if (!(step in container)) return false;
    if (i === steps.length - 1) {
      if (Array.isArray(container) && typeof step === 'number') container.splice(step, 1);
      else delete container[step];
      return true;
    }
    at = container[step];
  }
  return false;
}

/** Every `text` string in a value, space-joined. */
function textOf(value: unknown): string {
  const texts: string[] = [];
  const walk = (node: unknown, depth: number) => {
    if (depth > 8 || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) for (const item of node) walk(item, depth + 1);
    else
      for (const [key, item] of Object.entries(node)) {
        if (key === 'text' && typeof item === 'string') texts.push(item);
        else walk(item, depth + 1);
      }
  };
  walk(value, 0);
  return texts.join(' ');
}
