import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Dialog, useDialog } from './dialog';

/** A trigger and its dialog, as the keys table renders one per row (Rotate, Revoke). */
function RowAction() {
  const dialog = useDialog();
  return createElement(
    'div',
    null,
    createElement('button', { type: 'button', onClick: dialog.open }, 'Rotate'),
    createElement(Dialog, {
      dialog,
      title: 'Rotate “seed key 1”',
      // biome-ignore lint/correctness/noChildrenProp: Dialog's props type requires children, so a .ts file passes them as a prop
      children: createElement('form', null, createElement('label', null, 'Old key keeps working for')),
    }),
  );
}

describe('Dialog', () => {
  it('server-renders a closed dialog as its named shell, without its content', () => {
    const html = renderToString(createElement(RowAction));
    expect(html).toContain('<button type="button">Rotate</button>');
    expect(html).toMatch(
      /<dialog aria-labelledby="[^"]+"[^>]*><h2 id="[^"]+"[^>]*>Rotate “seed key 1”<\/h2><\/dialog>/,
    );
    expect(html).not.toContain('Old key keeps working for');
    expect(html).not.toContain('<form');
  });
});
