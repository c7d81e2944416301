import { describe, expect, it } from 'vitest';
import { TargetActions } from './actions.js';

const o = (workers: number, queue: number) => [0, queue, 0, 0, workers, 1.5, 2, 0, 1];

describe('TargetActions', () => {
  const a = new TargetActions([0.8, 0.6, 0.45, 0, 0.35, 0.25, 0.15]);

  it('sets the workers the arrivals keep busy at the target: 5 tasks/s of 1.5 s at 0.75 is 10', () => {
    const b = new TargetActions([0.75, 0, 0.5]);
    expect(b.delta(0, o(12, 0), 5, 1.5, 8)).toBe(-2);
    expect(b.delta(2, o(12, 0), 5, 1.5, 8)).toBe(3);
  });

  it('adds the workers that clear the queue within one step', () => {
    // 16 queued x 1.5 s / 8 s = 3 more workers
    expect(new TargetActions([0.75, 0, 0.5]).delta(0, o(12, 16), 5, 1.5, 8)).toBe(1);
  });

  it('scales with the farm: the same action on a ten times larger load sets ten times the workers', () => {
    expect(a.delta(1, o(12, 0), 5, 1.5, 8) + 12).toBe(13);
    expect(a.delta(1, o(120, 0), 50, 1.5, 8) + 120).toBe(125);
  });

  it('holds on the hold action and while no rate was measured', () => {
    expect(a.delta(a.hold, o(12, 50), 9, 1.5, 8)).toBe(0);
    expect(a.delta(0, o(12, 50), null, 1.5, 8)).toBe(0);
  });

  it('rejects a target list without a hold', () => {
    expect(() => new TargetActions([0.5, 0.6])).toThrow(/0 \(hold\)/);
  });
});
