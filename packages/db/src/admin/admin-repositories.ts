import type { PrismaClient } from '../client';
import { type AdminTokenRepository, createAdminTokenRepository } from './admin-token-repository';
import { type ApiKeyRepository, createApiKeyRepository } from './api-key-repository';
import { type AuditLogRepository, createAuditLogRepository } from './audit-log-repository';
import { type BudgetRepository, createBudgetRepository } from './budget-repository';
import { type ConsoleSessionRepository, createConsoleSessionRepository } from './console-session-repository';
import { type CostRepository, createCostRepository } from './cost-repository';
import { createPriceRepository, type PriceRepository } from './price-repository';
import { createProviderRepository, type ProviderRepository } from './provider-repository';
import { createRouteRepository, type RouteRepository } from './route-repository';
import { createRouterInstanceRepository, type RouterInstanceRepository } from './router-instance-repository';
import { createTargetHealthRepository, type TargetHealthRepository } from './target-health-repository';
import { createTeamRepository, type TeamRepository } from './team-repository';
import {
  createUpstreamAccountRepository,
  type UpstreamAccountRepository,
} from './upstream-account-repository';
import {
  createUsageDeadLetterRepository,
  type UsageDeadLetterRepository,
} from './usage-dead-letter-repository';
import { createUsageRepository, type UsageRepository } from './usage-repository';
import { createUserRepository, type UserRepository } from './user-repository';

/** Everything the control plane reads and writes. Every write appends an audit row in the same transaction. */
export interface AdminRepositories {
  /** Scoped, revocable admin API tokens for scripts. */
  adminTokens: AdminTokenRepository;
  apiKeys: ApiKeyRepository;
  /** Reads the audit log; records sign-ins and refused requests (writes record themselves). */
  auditLog: AuditLogRepository;
  budgets: BudgetRepository;
  /** Console sign-ins, so sign-out ends a session on the server and not only in the browser. */
  consoleSessions: ConsoleSessionRepository;
  cost: CostRepository;
  prices: PriceRepository;
  teams: TeamRepository;
  providers: ProviderRepository;
  upstreamAccounts: UpstreamAccountRepository;
  routes: RouteRepository;
  /** The settings each router instance applies (read-only; routers publish them). */
  routerInstances: RouterInstanceRepository;
  targetHealth: TargetHealthRepository;
  usage: UsageRepository;
  usageDeadLetters: UsageDeadLetterRepository;
  users: UserRepository;
}

export function createAdminRepositories(
  prisma: PrismaClient,
  options: { now?: () => Date } = {},
): AdminRepositories {
  const now = options.now ?? (() => new Date());
  return {
    adminTokens: createAdminTokenRepository(prisma),
    apiKeys: createApiKeyRepository(prisma, now),
    auditLog: createAuditLogRepository(prisma),
    budgets: createBudgetRepository(prisma),
    consoleSessions: createConsoleSessionRepository(prisma),
    cost: createCostRepository(prisma),
    prices: createPriceRepository(prisma),
    teams: createTeamRepository(prisma),
    providers: createProviderRepository(prisma),
    upstreamAccounts: createUpstreamAccountRepository(prisma),
    routes: createRouteRepository(prisma),
    routerInstances: createRouterInstanceRepository(prisma),
    targetHealth: createTargetHealthRepository(prisma),
    usage: createUsageRepository(prisma),
    usageDeadLetters: createUsageDeadLetterRepository(prisma),
    users: createUserRepository(prisma),
  };
}
