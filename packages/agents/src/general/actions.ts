/**
 * The general agents' actions: target utilisations. Action "u" sets the worker count that the
 * measured arrivals would keep busy a share u of the time, plus what clears the queue within
 * one step:
 *
 *   desired(u) = ceil( rate × service / u + worker_q × service / step )
 *
 * (rate: the larger of the last step's arrival rate and its EMA, see FeatureTransform.sizingRate)
 *
 * and one action holds the count. Why not fixed deltas ({-4..+4}) or fractions of the count? We
 * tried fractions (±5/15/30 % of the count): SARSA over the load features then reached 80-84 %
 * QoS on validation workloads at more worker-seconds than a static full farm, because a move of
 * +30 % per 8 s step cannot follow a spike from 30 % to 80 % utilisation, and the value gaps
 * between small moves drown in the return's variance. A target utilisation is a proportional
 * step that scales itself: the same action means the same thing on 12 workers and on 320.
 * Example: 5 tasks/s of 1.5 s tasks, no queue, u = 0.75 -> ceil(7.5 / 0.75) = 10 workers;
 * on a 10x farm (50 tasks/s) -> 100 workers.
 * Scaling down is limited to `scaleDownLimit` of the workers per decision (default 10 %, at least
 * one): without it the greedy agent flipped between a lean and a safe target every step (120 ->
 * 52 -> 29 -> 148 -> 50 workers on the 10x farm), paying a cold start at every climb. Scaling up
 * is not limited: a missed deadline costs more than an idle worker. This is the asymmetry of the
 * platforms' own rules (HPA's 300 s scale-down window, the KPA's max scale-down rate).
 * The env's actuator clamps to [min_workers, max_workers]; evaluation limits the delta to the
 * actuation's per-decision limit (±scaling.max_delta under `step`).
 */
import type { Observation } from '@autofarm/core';

/** The no-op's marker in a target list. */
export const HOLD = 0;

export class TargetActions {
  readonly n: number;
  /** Index of the hold action. */
  readonly hold: number;

  /**
   * `targets`: utilisations in (0, 1], with 0 (HOLD) for the hold action; `scaleDownLimit`: the
   * largest share of the workers one decision may remove (1 = no limit).
   */
  constructor(
    readonly targets: readonly number[],
    readonly scaleDownLimit = 1,
  ) {
    if (targets.length < 2) throw new RangeError('TargetActions: need at least 2 actions');
    this.n = targets.length;
    this.hold = targets.indexOf(HOLD);
    if (this.hold < 0) throw new RangeError(`general.action_targets: expected one 0 (hold) among [${targets.join(', ')}]`);
  }

  /**
   * Worker delta of action `index` from the raw observation, the rate to size for and the
   * task-time estimate (FeatureTransform.sizingRate / serviceEstimate); every action holds while
   * no rate has been measured yet (rate null).
   */
  delta(index: number, o: Observation, rate: number | null, service: number | null, stepDuration: number): number {
    const u = this.targets[index];
    if (u === undefined) throw new RangeError(`TargetActions: no action ${index} (have ${this.n})`);
    if (u === HOLD || rate === null || service === null) return 0;
    const workers = o[4] as number;
    const need = (rate * service) / u + ((o[1] as number) * service) / stepDuration;
    const delta = Math.max(1, Math.ceil(need - 1e-9)) - workers;
    return Math.max(delta, -Math.max(1, Math.floor(this.scaleDownLimit * workers)));
  }
}
