import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { plainValidationMessage } from './plain-validation-message';

const schema = z.object({
  limit: z.number().int().positive().max(1_000_000).nullable(),
  name: z.string().min(1).max(5).optional(),
  url: z.url().optional(),
  mode: z.enum(['hard', 'soft']).optional(),
  note: z
    .string()
    .refine((value) => value !== 'bad', 'Say something else.')
    .optional(),
});

function messageFor(input: unknown): string {
  const result = schema.safeParse(input);
  if (result.success) throw new Error('expected a validation failure');
  const issue = result.error.issues[0];
  if (!issue) throw new Error('no issue');
  return plainValidationMessage(issue);
}

describe('plainValidationMessage', () => {
  it('says what to type instead of quoting zod', () => {
    expect(messageFor({ limit: Number.NaN })).toBe('Enter a number.');
    expect(messageFor({ limit: 1.5 })).toBe('Enter a whole number.');
    expect(messageFor({ limit: 0 })).toBe('Enter a number greater than 0.');
    expect(messageFor({ limit: 2_000_000 })).toBe('Enter a number no greater than 1000000.');
    expect(messageFor({})).toBe('This is required.');
    expect(messageFor({ limit: 1, name: '' })).toBe('This is required.');
    expect(messageFor({ limit: 1, name: 'abcdef' })).toBe('Use at most 5 characters.');
    expect(messageFor({ limit: 1, url: 'nope' })).toBe(
      'Enter a full URL, starting with https:// (or http://).',
    );
    expect(messageFor({ limit: 1, mode: 'x' })).toBe('Choose one of: hard, soft.');
  });

  it("keeps a schema's own message", () => {
    expect(messageFor({ limit: 1, note: 'bad' })).toBe('Say something else.');
  });

  it('never shows zod wording, whatever is typed into the number field', () => {
    fc.assert(
      fc.property(fc.string(), (typed) => {
        const result = schema.safeParse({ limit: typed.trim() === '' ? null : Number(typed) });
        if (result.success) return;
        for (const issue of result.error.issues) {
          const message = plainValidationMessage(issue);
          expect(message).not.toMatch(/expected|received|Invalid input|Too (small|big)/);
          expect(message).toMatch(/\.$/);
        }
      }),
    );
  });
});
