/**
 * The `model` a JSON body names, '' when it names none: the refused-request usage row of every surface whose
 * protocol puts the model in the body (OpenAI's and Anthropic's; Gemini's is in the path).
 */
export function bodyModel(json: unknown): string {
  const model = (json as { model?: unknown } | null)?.model;
  return typeof model === 'string' ? model : '';
}
