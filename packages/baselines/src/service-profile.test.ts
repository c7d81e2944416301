import { describe, expect, it } from 'vitest';
import { gammaLaplace } from './queueing-math.js';
import { hopLatency, serviceProfile } from './service-profile.js';
import { makeConfig } from './testing/index.js';

describe('serviceProfile', () => {
  it('matches the shipped task distribution of reference §4.4 (mean ≈ 1.472 s, std ≈ 0.674 s)', () => {
    const p = serviceProfile(makeConfig());
    expect(p.mean).toBeCloseTo(1.472, 2);
    expect(Math.sqrt(p.scv) * p.mean).toBeCloseTo(0.674, 2);
    // Every task gets at least its own processing time (deadline 2S) or the 0.1 s floor as slack.
    expect(p.missFloor).toBe(0);
  });

  it('is the same profile every time for the same configuration', () => {
    const a = serviceProfile(makeConfig());
    const b = serviceProfile(makeConfig());
    expect(b.mean).toBe(a.mean);
    expect(b.scv).toBe(a.scv);
    expect(b.slackLaplace(1.7)).toBe(a.slackLaplace(1.7));
  });

  it('approaches the gamma closed form when nothing is clipped and the hops are free', () => {
    const config = makeConfig({
      tasks: { image_size: { min: 1, max: 100_000 } },
      sim: { dispatch_latency: 0, collect_latency: 0 },
    });
    const p = serviceProfile(config);
    expect(p.mean).toBeCloseTo(1.5, 1);
    expect(p.scv).toBeCloseTo(0.25, 1);
    for (const theta of [0.5, 2, 5]) expect(p.slackLaplace(theta)).toBeCloseTo(gammaLaplace(4, 0.375)(theta), 2);
  });

  it('counts tasks whose deadline leaves no slack as certain misses', () => {
    // Deadline = 1 × S: the hops alone make every task late.
    const p = serviceProfile(makeConfig({ tasks: { deadline: { coefficient: 1, floor: 0 } } }), 2000);
    expect(p.missFloor).toBe(1);
  });

  it('adds the hops and the polling delay of the farm', () => {
    expect(hopLatency({ scale_up_delay: 6, dispatch_latency: 0.002, collect_latency: 0.003, poll_interval: 0.1 })).toBeCloseTo(0.105, 12);
  });
});
