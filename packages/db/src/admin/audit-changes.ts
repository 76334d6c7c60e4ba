import { maskSecrets } from '@switchyard/core';
import type { Prisma } from '../client';

/** A stored value as JSON: dates as ISO text, bigints (money, counts) as decimal text. */
function toJson(value: unknown): Prisma.InputJsonValue | null {
  const text = JSON.stringify(value, (_, field: unknown) =>
    typeof field === 'bigint' ? field.toString() : field,
  );
  return text === undefined ? null : (JSON.parse(text) as Prisma.InputJsonValue | null);
}

/**
 * An update's audit before/after: each named field as it was and as it is, only those whose value changed,
 * with secret-looking fields (credential, key, token, …) masked, so the log shows that a credential changed and
 * never what it is.
 */
export function auditChanges(
  before: object,
  after: object,
  fields: readonly string[],
): { before: Prisma.InputJsonObject; after: Prisma.InputJsonObject } {
  const was: Record<string, Prisma.InputJsonValue | null> = {};
  const is: Record<string, Prisma.InputJsonValue | null> = {};
  for (const field of fields) {
    const old = toJson((before as Record<string, unknown>)[field]);
    const now = toJson((after as Record<string, unknown>)[field]);
    if (JSON.stringify(old) === JSON.stringify(now)) continue;
    was[field] = old;
    is[field] = now;
  }
  return {
    before: maskSecrets(was) as Prisma.InputJsonObject,
    after: maskSecrets(is) as Prisma.InputJsonObject,
  };
}
