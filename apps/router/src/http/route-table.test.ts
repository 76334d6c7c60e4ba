import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type RouteHandler, RouteTable } from './route-table';

const noop: RouteHandler = () => {};
const other: RouteHandler = () => {};

describe('RouteTable', () => {
  const table = new RouteTable([
    { method: 'POST', path: '/v1/chat/completions', handler: noop },
    { method: 'GET', path: '/v1/models', handler: noop },
    { method: 'POST', path: '/v1beta/models/{model}:generateContent', handler: other },
    { method: 'GET', path: '/v1/models/{model}', handler: other },
  ]);

  it('finds an exact path with its methods and the allow header for the others', () => {
    const match = table.lookup('/v1/chat/completions');
    expect(match?.routes.handlers.get('POST')).toBe(noop);
    expect(match?.routes.handlers.get('GET')).toBeUndefined();
    expect(match?.routes.allow).toBe('POST');
    expect(match?.params).toEqual({});
  });

  it('prefers an exact path to a placeholder one', () => {
    expect(table.lookup('/v1/models')?.routes.handlers.get('GET')).toBe(noop);
    expect(table.lookup('/v1/models/gpt-4o')?.routes.handlers.get('GET')).toBe(other);
  });

  it('is null for unknown paths, empty placeholders and placeholders spanning segments', () => {
    expect(table.lookup('/v1/nothing')).toBeNull();
    expect(table.lookup('/v1beta/models/:generateContent')).toBeNull();
    expect(table.lookup('/v1beta/models/a/b:generateContent')).toBeNull();
    expect(table.lookup('/v1/models/')).toBeNull();
  });

  it('hands any one-segment placeholder back decoded', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (model) => {
        const match = table.lookup(`/v1beta/models/${encodeURIComponent(model)}:generateContent`);
        expect(match?.routes.handlers.get('POST')).toBe(other);
        expect(match?.params).toEqual({ model });
      }),
    );
  });

  it('refuses two handlers for one method and path, and two placeholders in one path', () => {
    expect(
      () =>
        new RouteTable([
          { method: 'GET', path: '/a', handler: noop },
          { method: 'GET', path: '/a', handler: other },
        ]),
    ).toThrow(/Two routes/);
    expect(() => new RouteTable([{ method: 'GET', path: '/{a}/{b}', handler: noop }])).toThrow(/placeholder/);
  });
});
