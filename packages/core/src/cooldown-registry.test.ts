import { describe, expect, it } from 'vitest';
import { CooldownRegistry } from './cooldown-registry';

describe('CooldownRegistry', () => {
  it('cools one (account, model) pair until the given time', () => {
    const cooldowns = new CooldownRegistry();
    cooldowns.coolUntil('acc_1', 'gpt', 5_000);
    expect(cooldowns.isCooling('acc_1', 'gpt', 4_999)).toBe(true);
    expect(cooldowns.remaining('acc_1', 'gpt', 1_000)).toBe(4_000);
    expect(cooldowns.remaining('acc_1', 'gpt', 4_999)).toBe(1);
    expect(cooldowns.isCooling('acc_1', 'gpt', 5_000)).toBe(false);
    expect(cooldowns.remaining('acc_1', 'gpt', 5_000)).toBe(0);
  });

  it('leaves the same account’s other models and the model’s other accounts alone', () => {
    const cooldowns = new CooldownRegistry();
    cooldowns.coolUntil('acc_1', 'gpt', 5_000);
    expect(cooldowns.isCooling('acc_1', 'mini', 0)).toBe(false);
    expect(cooldowns.isCooling('acc_2', 'gpt', 0)).toBe(false);
    expect(cooldowns.isCooling('acc', '1\u0000gpt', 0)).toBe(false);
  });

  it('never shortens an existing cool-down', () => {
    const cooldowns = new CooldownRegistry();
    cooldowns.coolUntil('acc_1', 'gpt', 9_000);
    cooldowns.coolUntil('acc_1', 'gpt', 3_000);
    expect(cooldowns.remaining('acc_1', 'gpt', 0)).toBe(9_000);
    cooldowns.coolUntil('acc_1', 'gpt', 12_000);
    expect(cooldowns.remaining('acc_1', 'gpt', 0)).toBe(12_000);
  });

  it('coolFor uses the Retry-After, the 1 s default without one, and caps at 5 min', () => {
    const cooldowns = new CooldownRegistry();
    expect(cooldowns.coolFor('a', 'm', 10_000, 30_000)).toBe(40_000);
    expect(cooldowns.coolFor('b', 'm', 10_000, null)).toBe(11_000);
    expect(cooldowns.coolFor('c', 'm', 10_000, 86_400_000)).toBe(310_000);
    expect(cooldowns.remaining('c', 'm', 10_000)).toBe(300_000);
    expect(cooldowns.coolFor('d', 'm', 10_000, 0)).toBe(10_000);
    expect(cooldowns.isCooling('d', 'm', 10_000)).toBe(false);
  });

  it('coolFor reports the kept end time when a longer cool-down exists', () => {
    const cooldowns = new CooldownRegistry();
    cooldowns.coolUntil('a', 'm', 50_000);
    expect(cooldowns.coolFor('a', 'm', 0, 1_000)).toBe(50_000);
  });

  it('honours custom default and cap', () => {
    const cooldowns = new CooldownRegistry({ defaultMs: 2_000, maxMs: 10_000 });
    expect(cooldowns.coolFor('a', 'm', 0, null)).toBe(2_000);
    expect(cooldowns.coolFor('b', 'm', 0, 60_000)).toBe(10_000);
  });

  it('drops an expired entry when it is looked up', () => {
    const cooldowns = new CooldownRegistry();
    cooldowns.coolUntil('acc_1', 'gpt', 5_000);
    expect(cooldowns.size).toBe(1);
    expect(cooldowns.isCooling('acc_1', 'gpt', 6_000)).toBe(false);
    expect(cooldowns.size).toBe(0);
  });

  it('prune drops every expired entry and keeps the rest', () => {
    const cooldowns = new CooldownRegistry();
    cooldowns.coolUntil('a', 'm', 1_000);
    cooldowns.coolUntil('b', 'm', 2_000);
    cooldowns.coolUntil('c', 'm', 3_000);
    expect(cooldowns.prune(2_000)).toBe(2);
    expect(cooldowns.size).toBe(1);
    expect(cooldowns.isCooling('c', 'm', 2_000)).toBe(true);
    expect(cooldowns.prune(2_000)).toBe(0);
  });

  it('lists the pairs still cooling, soonest first', () => {
    const cooldowns = new CooldownRegistry();
    cooldowns.coolUntil('a', 'm', 9_000);
    cooldowns.coolUntil('b', 'm', 1_000);
    cooldowns.coolUntil('c', 'n', 4_000);
    expect(cooldowns.entries(2_000)).toEqual([
      { accountId: 'c', model: 'n', untilMs: 4_000 },
      { accountId: 'a', model: 'm', untilMs: 9_000 },
    ]);
    expect(cooldowns.size).toBe(2);
  });

  it('rejects nonsense options', () => {
    expect(() => new CooldownRegistry({ defaultMs: -1 })).toThrow(
      new RangeError('CooldownRegistry defaultMs must be a finite number ≥ 0; got -1.'),
    );
    expect(() => new CooldownRegistry({ defaultMs: 5_000, maxMs: 1_000 })).toThrow(
      new RangeError('CooldownRegistry maxMs must be finite and ≥ defaultMs; got 1000.'),
    );
  });
});
