/** A request body: parsed JSON, or the raw text when it is not JSON. */
export type JsonBody = { ok: true; value: unknown } | { ok: false; raw: string };

export function parseJsonBody(text: string): JsonBody {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, raw: text };
  }
}

/** The `model` field of a body, when it is a string (used for stats and per-model faults before validation). */
export function modelOf(body: JsonBody): string | undefined {
  if (!body.ok || typeof body.value !== 'object' || body.value === null) return undefined;
  const { model } = body.value as { model?: unknown };
  return typeof model === 'string' ? model : undefined;
}
