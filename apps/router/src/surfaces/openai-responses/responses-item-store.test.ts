import { describe, expect, it } from 'vitest';
import { ResponsesItemStore } from './responses-item-store';

function store(overrides: Partial<ConstructorParameters<typeof ResponsesItemStore>[0]> = {}) {
  let now = 1_000;
  const items = new ResponsesItemStore({
    ttlMs: 100,
    maxEntries: 3,
    maxBytes: 10_000,
    maxItemBytes: 1_000,
    now: () => now,
    ...overrides,
  });
  return { items, advance: (ms: number) => (now += ms) };
}

const message = (id: string, text = 'hi') => ({
  id,
  type: 'message',
  content: [{ type: 'output_text', text }],
});

describe('ResponsesItemStore', () => {
  it('gives a key back the items it was sent, as fresh objects, and no other key', () => {
    const { items } = store();
    items.put('key_a', [message('msg_1')]);
    const got = items.get('key_a', 'msg_1') as { id: string };
    expect(got).toEqual(message('msg_1'));
    got.id = 'changed';
    expect(items.get('key_a', 'msg_1')).toEqual(message('msg_1'));
    expect(items.get('key_b', 'msg_1')).toBeNull();
    expect(items.get('key_a', 'msg_2')).toBeNull();
  });

  it('forgets items after their TTL', () => {
    const { items, advance } = store();
    items.put('key_a', [message('msg_1')]);
    advance(99);
    expect(items.get('key_a', 'msg_1')).not.toBeNull();
    advance(1);
    expect(items.get('key_a', 'msg_1')).toBeNull();
    expect(items.size).toBe(0);
  });

  it('keeps at most maxEntries and maxBytes, dropping the oldest first, and never an oversized item', () => {
    const { items } = store();
    items.put('key_a', [message('msg_1'), message('msg_2'), message('msg_3'), message('msg_4')]);
    expect(items.size).toBe(3);
    expect(items.get('key_a', 'msg_1')).toBeNull();
    expect(items.get('key_a', 'msg_4')).not.toBeNull();

    const bytes = store({ maxEntries: 100, maxBytes: 200 });
    for (let i = 0; i < 10; i++) bytes.items.put('key_a', [message(`msg_${i}`, 'x'.repeat(40))]);
    expect(bytes.items.size).toBeLessThanOrEqual(2);
    expect(bytes.items.get('key_a', 'msg_9')).not.toBeNull();
    bytes.items.put('key_a', [message('msg_big', 'x'.repeat(2_000))]);
    expect(bytes.items.get('key_a', 'msg_big')).toBeNull();
  });

  it('skips items without a string id', () => {
    const { items } = store();
    items.put('key_a', [{ id: 3 }, {}, { id: '' }]);
    expect(items.size).toBe(0);
  });
});
