import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { geminiSchemaToJsonSchema } from './gemini-schema-to-json-schema';

describe('geminiSchemaToJsonSchema', () => {
  it('lowers types, folds nullable, converts nested items, properties and anyOf', () => {
    expect(
      geminiSchemaToJsonSchema(
        {
          type: 'OBJECT',
          description: 'A trip',
          properties: {
            stops: { type: 'ARRAY', items: { type: 'STRING', enum: ['a', 'b'] }, min_items: '1' },
            budget: {
              anyOf: [
                { type: 'NUMBER', minimum: 0 },
                { type: 'STRING', format: 'date' },
              ],
              nullable: true,
            },
            note: { type: 'STRING', nullable: true, example: 'x' },
          },
          required: ['stops'],
          propertyOrdering: ['stops', 'budget'],
        },
        'parameters',
      ),
    ).toEqual({
      ok: true,
      value: {
        type: 'object',
        description: 'A trip',
        properties: {
          stops: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, minItems: 1 },
          budget: {
            anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', format: 'date' }, { type: 'null' }],
          },
          note: { type: ['string', 'null'] },
        },
        required: ['stops'],
      },
    });
  });

  it('refuses a keyword it cannot translate, naming where it is', () => {
    const result = geminiSchemaToJsonSchema(
      { type: 'OBJECT', properties: { a: { type: 'STRING', xFancy: 1 } } },
      'p',
    );
    expect(!result.ok && [result.error.code, result.error.param]).toEqual([
      'unsupported_feature',
      'p.properties.a.xFancy',
    ]);
  });

  it('refuses schemas nested past the limit instead of recursing without end', () => {
    let schema: Record<string, unknown> = { type: 'STRING' };
    for (let i = 0; i < 100; i++) schema = { type: 'ARRAY', items: schema };
    const result = geminiSchemaToJsonSchema(schema, 'p');
    expect(!result.ok && result.error.code).toBe('invalid_request');
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (schema) => {
        expect(typeof geminiSchemaToJsonSchema(schema, 'p').ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
