/** The models `GET /v1/models` lists. Chat and embeddings accept any model name; these are for discovery. */
export const MOCK_MODELS = [
  { id: 'mock-gpt-4o-mini', object: 'model', created: 1_721_172_741, owned_by: 'switchyard-mock' },
  { id: 'mock-gpt-4o', object: 'model', created: 1_715_367_049, owned_by: 'switchyard-mock' },
  { id: 'mock-o4-mini', object: 'model', created: 1_744_225_351, owned_by: 'switchyard-mock' },
  { id: 'mock-text-embedding-3-small', object: 'model', created: 1_705_948_997, owned_by: 'switchyard-mock' },
] as const;

/** The `GET /v1/models` body. */
export const MOCK_MODEL_LIST = { object: 'list', data: MOCK_MODELS };
