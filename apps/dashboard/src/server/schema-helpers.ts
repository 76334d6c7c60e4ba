import { storableTextIssue, TRAFFIC_CLASSES, type TrafficClass } from '@switchyard/core';
import { z } from 'zod';

/**
 * Non-empty trimmed text of at most `max` characters that PostgreSQL can store: no NUL, no unpaired UTF-16
 * surrogate. Names, models and tags reach usage rows, where such text would be refused.
 */
export function storableString(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => storableTextIssue(value, max) === null, {
      message: 'must not contain NUL characters or unpaired UTF-16 surrogates',
    });
}

/** A public or upstream model name. */
export const modelName = storableString(200);

/** A display name for a resource. */
export const resourceName = storableString(100);

/** Rejects an update body that would change nothing. */
export function nonEmptyChanges<T extends z.ZodObject>(schema: T) {
  return schema.refine((value) => Object.values(value).some((field) => field !== undefined), {
    message: 'must change at least one field',
  });
}

/** The closed set of traffic classes, as zod wants an enum: a non-empty tuple. */
const TRAFFIC_CLASS_VALUES = TRAFFIC_CLASSES as readonly TrafficClass[] as [TrafficClass, ...TrafficClass[]];

/** One of the traffic classes (`interactive`, `background`, `evaluation`, `media`, `agent`). */
export const trafficClass = z.enum(TRAFFIC_CLASS_VALUES);
