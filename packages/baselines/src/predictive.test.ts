import { describe, expect, it } from 'vitest';
import { createRng, poisson } from '@autofarm/core';
import { gammaLaplace, minWorkers, type ServiceProfile } from './queueing-math.js';
import { createPredictive, PredictivePolicy, type PredictiveOptions } from './predictive.js';
import { createBaseline } from './index.js';
import { makeConfig, makeCtx, makeInfo, observationOf } from './testing/index.js';

const profile: ServiceProfile = { mean: 1.5, scv: 0.25, missFloor: 0, slackLaplace: gammaLaplace(4, 0.375) };
const options: PredictiveOptions = {
  targetQos: 0.99,
  quantile: 0.9,
  cadence: 2,
  lead: 6,
  observedWindow: 8,
  scaleInWindow: 30,
  drainTime: 8,
};
const size = (rate: number) => minWorkers(rate, profile, 0.99, { min: 1, max: 32 });

/** A 120 s day: 2 tasks/s for 60 s, then 8 tasks/s. */
const day = (t: number) => (t % 120 < 60 ? 2 : 8);

/** Drives `p` every 2 s on Poisson counts of `rate` until `until`; the farm follows each decision at once. Returns the worker counts. */
function drive(p: PredictivePolicy, rate: (t: number) => number, until: number, seed = 1): number[] {
  const rng = createRng(seed).stream('counts');
  let total = 0;
  let workers = 12;
  const out: number[] = [];
  for (let t = 0; t <= until + 1e-9; t += 2) {
    if (t > 0) total += poisson(rng, 2 * rate(t - 1));
    const info = makeInfo({ step: Math.floor(t / 8), time: t, workers, enqueuedTotal: total });
    workers += p.act(observationOf(info), makeCtx(info, { maxDelta: 31 }));
    out.push(workers);
  }
  return out;
}

describe('PredictivePolicy', () => {
  it('launches capacity for a recurring step a cold start before it comes, from the counter alone', () => {
    const p = new PredictivePolicy(options, profile);
    // day 4 (t = 360..480): the step to 8 tasks/s comes at t = 420; the decision at 416 already sizes for it
    const workers = drive(p, day, 416);
    expect(p.last?.forecast.period).toBe(120);
    expect(workers.at(-1)).toBeGreaterThanOrEqual(size(8));
    // a rule without foresight at that time sizes for the 2 tasks/s it sees
    expect(size(p.last?.observed ?? 0)).toBeLessThan(size(8) - 5);
  });

  it('never scales in on the forecast alone: it waits for observed decreases', () => {
    const p = new PredictivePolicy(options, profile);
    // the high half of day 4 ends at 480; at 492 the forecast (+-8 s around the same time yesterday) is low,
    // but the last 30 s observed hold 18 s at 8 tasks/s and 12 s at 2: 5.6 tasks/s
    const workers = drive(p, day, 492);
    expect(workers.at(-1)).toBeGreaterThanOrEqual(size(5.6) - 1);
    expect(size(p.last?.forecast.upper ?? 0)).toBeLessThan(workers.at(-1) as number);
    // by 520 the 30 s observed hold only the low half (and the next step, at 540, is still beyond the horizon)
    const later = drive(new PredictivePolicy(options, profile), day, 520);
    expect(later.at(-1)).toBeLessThanOrEqual(size(2) + 2);
  });

  it('sizes a steady load with the M/G/c model without a forecast margin for the Poisson noise', () => {
    const p = new PredictivePolicy(options, profile);
    const workers = drive(p, () => 5, 300);
    expect(p.last?.forecast.period).toBeNull();
    // 5 tasks/s needs size(5); noise in the observed 8 s rate may add a worker or two, not more
    expect(workers.at(-1)).toBeGreaterThanOrEqual(size(5) - 1);
    expect(workers.at(-1)).toBeLessThanOrEqual(size(5) + 3);
  });

  it('is registered as a deployable baseline with its own configuration block', () => {
    const config = makeConfig({ baselines: { predictive: { quantile: 0.8 } }, sim: { scale_up_delay: 5 } });
    const p = createBaseline('predictive', config) as PredictivePolicy;
    expect(p.name).toBe('Predictive');
    expect(p.cadence).toBe(2);
    expect(p.clairvoyant).toBeUndefined();
    expect(p.hindsight).toBeUndefined();
    expect(createPredictive(config).options).toMatchObject({ quantile: 0.8, lead: 5 });
  });

  it('decides the same way on the same counts (deterministic) and forgets on reset', () => {
    const p = new PredictivePolicy(options, profile);
    const a = drive(p, day, 400, 3);
    p.reset();
    expect(drive(p, day, 400, 3)).toEqual(a);
  });
});
