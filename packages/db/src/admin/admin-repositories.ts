import type { PrismaClient } from '../client';
import { type ApiKeyRepository, createApiKeyRepository } from './api-key-repository';
import { createProviderRepository, type ProviderRepository } from './provider-repository';
import { createRouteRepository, type RouteRepository } from './route-repository';
import { createTargetHealthRepository, type TargetHealthRepository } from './target-health-repository';
import {
  createUpstreamAccountRepository,
  type UpstreamAccountRepository,
} from './upstream-account-repository';
import { createUsageRepository, type UsageRepository } from './usage-repository';
import { createUserRepository, type UserRepository } from './user-repository';

/** Everything the control plane reads and writes. Every write appends an audit row in the same transaction. */
export interface AdminRepositories {
  apiKeys: ApiKeyRepository;
  providers: ProviderRepository;
  upstreamAccounts: UpstreamAccountRepository;
  routes: RouteRepository;
  targetHealth: TargetHealthRepository;
  usage: UsageRepository;
  users: UserRepository;
}

export function createAdminRepositories(
  prisma: PrismaClient,
  options: { now?: () => Date } = {},
): AdminRepositories {
  const now = options.now ?? (() => new Date());
  return {
    apiKeys: createApiKeyRepository(prisma, now),
    providers: createProviderRepository(prisma),
    upstreamAccounts: createUpstreamAccountRepository(prisma),
    routes: createRouteRepository(prisma),
    targetHealth: createTargetHealthRepository(prisma),
    usage: createUsageRepository(prisma, now),
    users: createUserRepository(prisma),
  };
}
