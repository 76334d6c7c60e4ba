/** Bounds of a {@link ResponsesItemStore}. */
export interface ResponsesItemStoreOptions {
  /** How long an item can be referred to after it was sent, ms. */
  ttlMs: number;
  /** Items kept at most, over every key; the oldest go first. */
  maxEntries: number;
  /** Bytes (of the items' JSON) kept at most, over every key; the oldest go first. */
  maxBytes: number;
  /** An item larger than this is not kept (a reference to it is refused as unresolvable). */
  maxItemBytes: number;
  now: () => number;
}

interface Entry {
  json: string;
  expiresAt: number;
}

/**
 * The output items (`msg_…`, `fc_…`) the Responses surface sent on the translated path, so a later
 * `item_reference` to one (the Vercel AI SDK's multi-step calls, while its `store` option is on) resolves to the
 * item itself. Per API key: a key resolves only the items sent to it. Bounded in time (TTL), count and bytes,
 * oldest first out. In memory and per router instance: behind several routers, a reference reaches an instance
 * that did not send the item only by chance; such a request is refused with a 400 that names the
 * `item_reference` and says to send the item itself (Vercel: `providerOptions.openai.store: false`).
 */
export class ResponsesItemStore {
  /** Insertion order is age order: the first entries are the oldest. */
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly options: ResponsesItemStoreOptions) {}

  /** Keeps `items` (each with a string `id`) for `keyId`. */
  put(keyId: string, items: readonly { id?: unknown }[]): void {
    const now = this.options.now();
    for (const item of items) {
      if (typeof item.id !== 'string' || item.id.length === 0) continue;
      const json = JSON.stringify(item);
      if (json.length > this.options.maxItemBytes) continue;
      const key = `${keyId}\u0000${item.id}`;
      this.remove(key);
      this.entries.set(key, { json, expiresAt: now + this.options.ttlMs });
      this.bytes += json.length;
    }
    this.evict(now);
  }

  /** The item `keyId` was sent under `id` and may still refer to, as a fresh object; null when unknown. */
  get(keyId: string, id: string): unknown {
    const key = `${keyId}\u0000${id}`;
    const entry = this.entries.get(key);
    if (entry === undefined) return null;
    if (entry.expiresAt <= this.options.now()) {
      this.remove(key);
      return null;
    }
    return JSON.parse(entry.json) as unknown;
  }

  /** Items kept now. */
  get size(): number {
    return this.entries.size;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.bytes -= entry.json.length;
  }

  private evict(now: number): void {
    for (const [key, entry] of this.entries) {
      const over = this.entries.size > this.options.maxEntries || this.bytes > this.options.maxBytes;
      // Every entry lives ttlMs from its insertion, so age order is expiry order: stop at the first live one.
      if (!over && entry.expiresAt > now) return;
      this.remove(key);
    }
  }
}
