-- Azure OpenAI as an upstream kind (issue 13): OpenAI's chat wire at a deployment URL, with `api-version` and the
-- `api-key` header, so it needs its own adapter rather than `openai_compatible`.

-- AlterEnum
ALTER TYPE "ProviderKind" ADD VALUE 'azure_openai';
