import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Field } from './field';

function render(error: { message: string; field?: string } | null): string {
  return renderToStaticMarkup(
    createElement(Field, {
      id: 'key-models',
      label: 'Allowed models',
      field: 'allowedModels',
      error,
      hint: 'Comma-separated; empty allows every model.',
      // biome-ignore lint/correctness/noChildrenProp: a .ts file passes Field's one child as a prop
      children: createElement('input', { id: 'key-models' }),
    }),
  );
}

describe('Field', () => {
  it('describes its input by the hint while there is no error for it', () => {
    const html = render(null);
    expect(html).toContain('<input id="key-models" aria-describedby="key-models-hint"/>');
    expect(html).toContain('<p id="key-models-hint" class="mt-1 text-xs text-slate-500">Comma-separated;');
  });

  it('describes its input by the error naming it, and hides the hint', () => {
    const html = render({ message: 'allowedModels: unknown model "x"', field: 'allowedModels' });
    expect(html).toContain('<input id="key-models" aria-describedby="key-models-error"/>');
    expect(html).toMatch(/<p id="key-models-error" role="alert"[^>]*>unknown model &quot;x&quot;<\/p>/);
    expect(html).not.toContain('key-models-hint');
  });

  it('keeps the hint for an error about another field, and leaves an input its own description', () => {
    const other = render({ message: 'name: required', field: 'name' });
    expect(other).toContain('aria-describedby="key-models-hint"');
    const own = renderToStaticMarkup(
      createElement(Field, {
        id: 'x',
        label: 'X',
        field: 'x',
        error: null,
        hint: 'h',
        // biome-ignore lint/correctness/noChildrenProp: as above
        children: createElement('input', { id: 'x', 'aria-describedby': 'elsewhere' }),
      }),
    );
    expect(own).toContain('aria-describedby="elsewhere"');
  });
});
