/**
 * The fixed-deadline sojourn probability of anchors §E.5; the M/G/c deadline model it builds on
 * (Erlang C, the wait's decay rate, the per-task deadline miss probability, the sizing search)
 * lives in core (queueing.ts), shared with the general agents, and is re-exported here.
 */
import { erlangC, waitDecayRate } from '@autofarm/core';

export { erlangC, waitDecayRate, gammaLaplace, deadlineMissProbability, minWorkers, type ServiceProfile } from '@autofarm/core';

/**
 * P(T ≤ d) for a FIXED deadline d (anchors §E.5): S has CDF `cdf`, the wait is 0 with probability 1 − C
 * and Exp(θ_w) otherwise. Composite Simpson over w in [0, d] with 400 intervals (error < 1e-6
 * for the smooth integrands here).
 */
export function sojournWithin(
  c: number,
  lambda: number,
  d: number,
  service: { mean: number; scv: number; cdf(x: number): number },
  arrivalScv = 1,
): number {
  const a = lambda * service.mean;
  if (c <= a) return 0;
  const C = erlangC(c, a);
  const theta = waitDecayRate(c, lambda, service.mean, service.scv, arrivalScv);
  const n = 400;
  const h = d / n;
  const f = (w: number) => service.cdf(d - w) * theta * Math.exp(-theta * w);
  let sum = f(0) + f(d);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f(i * h);
  return (1 - C) * service.cdf(d) + (C * (sum * h)) / 3;
}
