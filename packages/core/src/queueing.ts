/**
 * M/G/c sizing for a deadline (anchors §E). Poisson arrivals λ, c workers, service time S with
 * mean E[S] and squared coefficient of variation c_s², offered load a = λ·E[S].
 *
 * - P(W_q > 0) ≈ C(c, a), the Erlang-C probability of waiting;
 * - W_q | W_q > 0 ≈ Exp(θ_w), θ_w = (c/E[S] − λ) · 2 / (c_a² + c_s²) (M/M/c's decay rate with the
 *   Allen–Cunneen / Kingman variability factor).
 *
 * Two deadline models use it:
 * - a fixed deadline d (§E.5, the table of §E.7): P(T ≤ d) = (1 − C)·F_S(d) + C·∫_0^d F_S(d − w)·θ_w·e^{−θ_w w} dw;
 * - this farm's per-task deadline: a task with slack s = deadline(S) − S − hops meets it iff
 *   W_q ≤ s, so P(miss) ≈ P(s < 0) + C·E[e^{−θ_w s}; s ≥ 0], a Laplace transform of the slack.
 *   For unclipped Gamma(k, θ) service and deadline 2S, s = S and E[e^{−θ_w S}] = (1 + θ_w θ)^{−k}
 *   (gammaLaplace); the baselines take the real, clipped distribution from their
 *   service-profile.ts, the general agents a Gamma with their own estimate of the mean.
 * In core so that both the baselines and the agents (which import core only) size with it.
 */

/**
 * Erlang C in the numerically stable form of anchors §E.3 (KSL GGcWhittApproximation.erlangC):
 * B_0 = 1, B_n = a·B_{n−1} / (n + a·B_{n−1}), C = c·B_c / (c − a·(1 − B_c)).
 * 1 when c <= a (unstable: everyone waits). E.g. C(2, 1) = 1/3.
 */
export function erlangC(c: number, a: number): number {
  if (a <= 0) return 0;
  if (c <= a) return 1;
  let b = 1;
  for (let n = 1; n <= c; n++) b = (a * b) / (n + a * b);
  return (c * b) / (c - a * (1 - b));
}

/** θ_w, the decay rate of the conditional wait (per second); 0 when unstable. */
export function waitDecayRate(c: number, lambda: number, meanService: number, scv: number, arrivalScv = 1): number {
  return Math.max(0, c / meanService - lambda) * (2 / (arrivalScv + scv));
}

/** E[e^{−θS}] for S ~ Gamma(shape k, scale θ_s): (1 + θ·θ_s)^{−k}. */
export function gammaLaplace(shape: number, scale: number): (theta: number) => number {
  return (theta) => Math.pow(1 + theta * scale, -shape);
}

/** What the sizing needs to know about the service time and the per-task deadline slack. */
export interface ServiceProfile {
  /** E[S], seconds. */
  mean: number;
  /** Squared coefficient of variation of S. */
  scv: number;
  /** P(slack < 0): tasks that miss even without waiting. */
  missFloor: number;
  /** E[e^{−θ·slack}; slack ≥ 0]. */
  slackLaplace(theta: number): number;
}

/** P(a task misses its own deadline) with c workers at rate λ; 1 when c <= a. */
export function deadlineMissProbability(c: number, lambda: number, profile: ServiceProfile, arrivalScv = 1): number {
  const a = lambda * profile.mean;
  if (a <= 0) return profile.missFloor;
  if (c <= a) return 1;
  const theta = waitDecayRate(c, lambda, profile.mean, profile.scv, arrivalScv);
  return Math.min(1, profile.missFloor + erlangC(c, a) * profile.slackLaplace(theta));
}

/**
 * The fewest workers in [min, max] whose deadline-miss probability is at most 1 − targetQos,
 * searching up from the stability bound ⌊a⌋ + 1; `max` if even that falls short.
 */
export function minWorkers(
  lambda: number,
  profile: ServiceProfile,
  targetQos: number,
  bounds: { min: number; max: number },
  arrivalScv = 1,
): number {
  const a = Math.max(0, lambda) * profile.mean;
  const start = Math.max(bounds.min, a > 0 ? Math.floor(a) + 1 : bounds.min);
  for (let c = start; c <= bounds.max; c++) {
    if (deadlineMissProbability(c, lambda, profile, arrivalScv) <= 1 - targetQos + 1e-12) return c;
  }
  return Math.max(bounds.min, bounds.max);
}
