import { describe, expect, it } from 'vitest';
import { checkFallbackModels } from './check-fallback-models';

const routes = [
  { id: 'rt_a', publicModel: 'a', aliases: ['alpha'], backupModels: [], contextFallbackModel: null },
  { id: 'rt_b', publicModel: 'b', aliases: [], backupModels: ['a'], contextFallbackModel: null },
  { id: 'rt_c', publicModel: 'c', aliases: [], backupModels: [], contextFallbackModel: 'b' },
];

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const saved = (
  fields: Partial<Parameters<typeof checkFallbackModels>[0]> & { id: string; publicModel: string },
) => ({
  aliases: [],
  backupModels: [],
  contextFallbackModel: null,
  ...fields,
});

describe('checkFallbackModels', () => {
  it('resolves aliases to public model names, keeping the order', () => {
    expect(
      checkFallbackModels(
        saved({
          id: 'rt_new',
          publicModel: 'n',
          backupModels: ['c', 'alpha'],
          contextFallbackModel: 'alpha',
        }),
        routes,
      ),
    ).toEqual({ backupModels: ['c', 'a'], contextFallbackModel: 'a' });
  });

  it('reports the cycle the saved route closes, starting from it, naming the field of its first hop', () => {
    expect(
      thrownBy(() =>
        checkFallbackModels(saved({ id: 'rt_a', publicModel: 'a', backupModels: ['b'] }), routes),
      ),
    ).toMatchObject({
      kind: 'conflict',
      field: 'backupModels',
      message: 'Fallback models would form a cycle: a → b → a.',
    });
    // a's context fallback to c, c's to b, b's backup a.
    expect(
      thrownBy(() =>
        checkFallbackModels(saved({ id: 'rt_a', publicModel: 'a', contextFallbackModel: 'c' }), routes),
      ),
    ).toMatchObject({
      kind: 'conflict',
      field: 'contextFallbackModel',
      message: 'Fallback models would form a cycle: a → c → b → a.',
    });
  });

  it('judges the route by the names it will have once saved', () => {
    // rt_b renamed to "b2": its stored row no longer counts, and "b2" is now its own name.
    const renamed = saved({ id: 'rt_b', publicModel: 'b2', backupModels: ['a'] });
    expect(checkFallbackModels(renamed, routes).backupModels).toEqual(['a']);
    expect(
      thrownBy(() => checkFallbackModels({ ...renamed, contextFallbackModel: 'b2' }, routes)),
    ).toMatchObject({
      kind: 'invalid_reference',
      field: 'contextFallbackModel',
      message: '"b2" is this route; a route cannot fall back to itself.',
    });
  });
});
