import { parseMockEnv } from './env';
import { mockLogger } from './mock-logger';
import { startMockProvider } from './start-mock-provider';

const env = parseMockEnv(process.env);
if (!env.ok) {
  mockLogger.error(`mock provider: ${env.message}`);
  process.exit(1);
}

try {
  const provider = await startMockProvider(env.value);
  mockLogger.info({ url: provider.url }, `mock provider listening on ${provider.url}`);
  const stop = (signal: NodeJS.Signals) => {
    mockLogger.info({ signal }, 'mock provider stopping');
    provider.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  mockLogger.error(
    `mock provider: cannot listen on ${env.value.host}:${env.value.port}: ${(error as Error).message}`,
  );
  process.exit(1);
}
