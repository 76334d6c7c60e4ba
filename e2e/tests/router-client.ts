import { expect } from '@playwright/test';
import OpenAI from 'openai';

/**
 * An `openai` client on the router with a key just created in the console, returned once the key works: the
 * router learns about a new key through LISTEN/NOTIFY, so the first call may need a moment. `content` is the
 * message of that first call.
 */
export async function routerClientFor(plaintext: string, content: string): Promise<OpenAI> {
  const client = new OpenAI({
    apiKey: plaintext,
    baseURL: `${process.env.E2E_ROUTER_URL}/v1`,
    maxRetries: 0,
  });
  await expect(async () => {
    await client.chat.completions.create({
      model: process.env.E2E_MODEL ?? '',
      messages: [{ role: 'user', content }],
    });
  }).toPass({ timeout: 5_000 });
  return client;
}
