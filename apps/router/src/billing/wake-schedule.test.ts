import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WakeSchedule } from './wake-schedule';

describe('WakeSchedule', () => {
  let wakes: number[];
  let schedule: WakeSchedule;

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    wakes = [];
    schedule = new WakeSchedule(() => wakes.push(Date.now()));
  });
  afterEach(() => {
    schedule.close();
    vi.useRealTimers();
  });

  it('keeps a later wake-up asked for while an earlier one is planned', () => {
    schedule.wakeAt(1_000);
    schedule.wakeAt(1_500);
    vi.advanceTimersByTime(10_000);
    expect(wakes).toEqual([1_005, 1_505]);
  });

  it('moves the timer earlier for an earlier wake-up, and still serves the later one', () => {
    schedule.pollAt(5_000);
    schedule.wakeAt(1_000);
    vi.advanceTimersByTime(10_000);
    expect(wakes).toEqual([1_005, 5_005]);
  });

  it('keeps a retry planned after the poll that fires first', () => {
    schedule.pollAt(4_500);
    schedule.wakeAt(5_200);
    vi.advanceTimersByTime(4_505);
    expect(wakes).toEqual([4_505]);
    schedule.pollAt(9_505); // the pass that woke plans the next poll
    vi.advanceTimersByTime(10_000);
    expect(wakes).toEqual([4_505, 5_205, 9_510]);
  });

  it('lets each poll replace the last', () => {
    schedule.pollAt(1_000);
    schedule.pollAt(3_000);
    vi.advanceTimersByTime(10_000);
    expect(wakes).toEqual([3_005]);
  });

  it('wakes once for wake-ups that are due together, and not at all once closed', () => {
    schedule.wakeAt(1_000);
    schedule.wakeAt(1_000);
    schedule.wakeAt(1_002);
    vi.advanceTimersByTime(1_005);
    expect(wakes).toEqual([1_005]);
    schedule.wakeAt(2_000);
    schedule.close();
    vi.advanceTimersByTime(10_000);
    expect(wakes).toEqual([1_005]);
  });
});
