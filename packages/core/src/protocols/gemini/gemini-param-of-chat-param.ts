/** Chat request fields that come from one `generationConfig` field of a Gemini request (core `geminiToChatRequest`). */
const GENERATION_CONFIG: Readonly<Record<string, string>> = {
  max_tokens: 'maxOutputTokens',
  max_completion_tokens: 'maxOutputTokens',
  temperature: 'temperature',
  top_p: 'topP',
  stop: 'stopSequences',
  n: 'candidateCount',
  seed: 'seed',
  presence_penalty: 'presencePenalty',
  frequency_penalty: 'frequencyPenalty',
  logprobs: 'responseLogprobs',
  top_logprobs: 'logprobs',
  reasoning_effort: 'thinkingConfig',
};

/**
 * The Gemini field a translated chat request's field came from, so an upstream adapter's error on the chat body
 * names what the Gemini caller sent: `n` is `generationConfig.candidateCount`, `response_format…` the response
 * MIME type and schema, `messages…` `contents`, `tools…` `tools` (function declarations regroup, so positions do
 * not carry over), `tool_choice…` `toolConfig.functionCallingConfig`. A path with no Gemini counterpart is
 * returned as it is.
 */
export function geminiParamOfChatParam(param: string): string {
  const head = /^[a-z_]+/.exec(param)?.[0];
  if (head === undefined) return param;
  const config = GENERATION_CONFIG[head];
  if (config !== undefined) return `generationConfig.${config}`;
  switch (head) {
    case 'messages':
      return 'contents';
    case 'response_format':
      return param.startsWith('response_format.json_schema')
        ? 'generationConfig.responseJsonSchema'
        : 'generationConfig.responseMimeType';
    case 'tools':
      return 'tools';
    case 'tool_choice':
      return 'toolConfig.functionCallingConfig';
    default:
      return param;
  }
}
