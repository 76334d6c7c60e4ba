import { tool } from 'ai';
import type OpenAI from 'openai';
import { z } from 'zod';

/** The Responses function tool the conformance tests offer (the mock calls it with `{city: "mock"}`). */
export const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};

/** The same tool for the Vercel AI SDK, which runs it: it answers `rainy in <city>`. */
export const vercelWeatherTools = {
  get_weather: tool({
    description: 'Weather for a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => `rainy in ${city}`,
  }),
};

/** What a Responses event stream showed: its event types in order, the text deltas, and the completed Response. */
export interface ReadResponsesStream {
  types: string[];
  text: string;
  deltas: number;
  completed: OpenAI.Responses.Response | null;
}

/** Reads a Responses event stream (the `openai` SDK's) to its end. */
export async function readResponsesStream(
  stream: AsyncIterable<OpenAI.Responses.ResponseStreamEvent>,
): Promise<ReadResponsesStream> {
  const read: ReadResponsesStream = { types: [], text: '', deltas: 0, completed: null };
  for await (const event of stream) {
    read.types.push(event.type);
    if (event.type === 'response.output_text.delta') {
      read.deltas++;
      read.text += event.delta;
    }
    if (event.type === 'response.completed') read.completed = event.response;
  }
  return read;
}
