import { describe, expect, it } from 'vitest';
import { parseConfig } from '@autofarm/core';
import { computeReward, terminalReward } from './reward.js';

// The worked values of reference §7.7 are for the original's reward block (balanced 14, efficiency 0.05).
const config = parseConfig({
  workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 60 }] },
  reward: { balanced_workers: 14, weights: { efficiency: 0.05 } },
});
const obs = (q: number, Q: number, W: number) => [0, Q, 0, 0, W, 1.5, 1.5, 0, q];
const r = (q: number, Q: number, W: number, d: number) => computeReward(obs(q, Q, W), d, config.reward, 12);

describe('computeReward reproduces the worked values of reference §7.7', () => {
  it.each([
    ['an idle healthy farm at 12 workers', 1.0, 0, 12, 0, 5.4],
    ['an idle farm at 16 workers pays for 2 above balanced', 1.0, 0, 16, 0, 5.3],
    ['a small backlog with QoS 42/44', 42 / 44, 2, 12, 0, 3.7636],
    ['QoS 31/34 with 9 queued', 31 / 34, 9, 12, 0, -1.3765],
    ['a scale-up while QoS 51/65 is below target', 51 / 65, 2, 13, 1, -0.5338],
    ['a collapsed farm scaling up', 0.0, 70, 6, 1, -33.2244],
  ])('%s', (_name, q, Q, W, d, expected) => {
    expect(r(q, Q, W, d)).toBeCloseTo(expected, 3);
  });

  it('adds the completion bonus when all work is done early: 5.30 + 8 = 13.30', () => {
    expect(r(1, 0, 16, 0) + terminalReward('terminated', 0, config.reward)).toBeCloseTo(13.3, 6);
  });

  it('penalises unfinished tasks at truncation, capped at queue_target', () => {
    expect(terminalReward('truncated', 10, config.reward)).toBeCloseTo(-20, 6);
    expect(terminalReward('truncated', 500, config.reward)).toBeCloseTo(-60, 6);
    expect(terminalReward('truncated', 0, config.reward)).toBe(0);
  });

  it('rewards a calm scale-down (5.42 per the reference)', () => {
    expect(r(1, 0, 12, -1)).toBeCloseTo(5.42, 6);
  });

  it('uses initial_workers when balanced_workers is null', () => {
    const c = parseConfig({ workload: config.workload, reward: { balanced_workers: null, weights: { efficiency: 0.05 } } });
    expect(computeReward(obs(1, 0, 16), 0, c.reward, 16)).toBeCloseTo(5.4, 6);
  });
});
