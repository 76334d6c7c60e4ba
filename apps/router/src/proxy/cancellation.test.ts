import { describe, expect, it } from 'vitest';
import { Cancellation } from './cancellation';

describe('Cancellation', () => {
  it('aborts once, with the first reason, calling each listener once in order', () => {
    const cancel = new Cancellation();
    const calls: string[] = [];
    cancel.onAbort(() => calls.push(`a:${String(cancel.reason)}`));
    cancel.onAbort(() => calls.push('b'));
    expect(cancel.aborted).toBe(false);
    expect(cancel.reason).toBeUndefined();
    cancel.abort('first');
    cancel.abort('second');
    expect(cancel.aborted).toBe(true);
    expect(cancel.reason).toBe('first');
    expect(calls).toEqual(['a:first', 'b']);
  });

  it('does not call a listener that was removed, nor one added after the abort', () => {
    const cancel = new Cancellation();
    let removedCalls = 0;
    let keptCalls = 0;
    const removed = () => removedCalls++;
    cancel.onAbort(removed);
    cancel.onAbort(() => keptCalls++);
    cancel.offAbort(removed);
    cancel.offAbort(removed); // twice is harmless
    cancel.abort();
    let lateCalls = 0;
    cancel.onAbort(() => lateCalls++);
    expect([removedCalls, keptCalls, lateCalls]).toEqual([0, 1, 0]);
  });

  it('gives an AbortError when aborted without a reason', () => {
    const cancel = new Cancellation();
    cancel.abort();
    expect(cancel.reason).toBeInstanceOf(DOMException);
    expect((cancel.reason as DOMException).name).toBe('AbortError');
  });

  it('makes a real AbortSignal on demand that follows it, before or after the abort', () => {
    const before = new Cancellation();
    const signal = before.signal;
    expect(before.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
    before.abort('gone');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('gone');

    const after = new Cancellation();
    after.abort('late');
    expect(after.signal.aborted).toBe(true);
    expect(after.signal.reason).toBe('late');
  });
});
