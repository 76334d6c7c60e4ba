import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, SEEDED_MODEL, type Stack, startStack, UPSTREAM_MODEL } from './stack';

let stack: Stack;
let client: OpenAI;
const LIMITED_MODEL = 'models-limited';

beforeAll(async () => {
  stack = await startStack();
  client = stack.client();
  await stack.addRoute({
    publicModel: LIMITED_MODEL,
    targets: [{ accountId: stack.accountId, upstreamModel: UPSTREAM_MODEL }],
  });
});
afterAll(async () => {
  await stack?.stop();
});

describe('GET /v1/models/{id}', () => {
  it('models.retrieve: the model object for a model the key may use, by name or alias', async () => {
    const model = await client.models.retrieve(SEEDED_MODEL);
    expect(model).toMatchObject({ id: SEEDED_MODEL, object: 'model', owned_by: 'switchyard' });
    expect((await client.models.retrieve('chat-small-alias')).id).toBe('chat-small-alias');
  });

  it('models.retrieve: 404 in OpenAI shape for an unknown model and for one the key may not use', async () => {
    const unknown = await apiError(client.models.retrieve('no-such-model'));
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown.code).toBe('model_not_found');
    expect(unknown.requestID).toMatch(/^req_/);
    const limited = await stack.createKey({ allowedModels: [LIMITED_MODEL] });
    const limitedClient = stack.client(limited.plaintext);
    expect((await limitedClient.models.retrieve(LIMITED_MODEL)).id).toBe(LIMITED_MODEL);
    const denied = await apiError(limitedClient.models.retrieve(SEEDED_MODEL));
    expect(denied.status).toBe(404);
    expect(denied.message).toBe(unknown.message.replace('no-such-model', SEEDED_MODEL));
  });

  it('models.retrieve: 401 without a valid key', async () => {
    const error = await apiError(stack.client('sk-not-a-key').models.retrieve(SEEDED_MODEL));
    expect(error.status).toBe(401);
  });
});
