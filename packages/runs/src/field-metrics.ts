/**
 * Metrics the autoscaling literature reports, per agent and scenario, against the yardsticks on
 * the same seeds:
 * - ws_over_oracle: mean worker-seconds over the oracle's, only where the agent's QoS is at least
 *   the oracle's (to 0.1 pp): cheaper than the schedule-knowing plan at its QoS, or not;
 * - cost_ratio: mean cost at the general agents' price (worker-seconds + miss_price x missed
 *   deadlines) over hindsight's: an empirical competitive ratio (cost over the offline plan's on
 *   the same input; Albers & Quedenfeld);
 * - under/over_timeshare: the share of steps at which the agent held fewer / more workers than
 *   hindsight at the same step of the same seed (SPEC RG elasticity metrics, Herbst et al.,
 *   SPEC-RG-2016-01, with hindsight's worker curve as the demand curve; sampled once per env
 *   step, over the steps both episodes ran).
 * Example: 1 200 worker-seconds and 3 misses at price 100 against hindsight's 1 000 and 0 ->
 * cost ratio (1 200 + 300) / 1 000 = 1.5.
 */
import { mean } from '@autofarm/core';
import type { EpisodeRecord, EpisodeSummary } from '@autofarm/env';

export interface FieldMetrics {
  ws_over_oracle: number | null;
  cost_ratio: number | null;
  under_timeshare: number | null;
  over_timeshare: number | null;
}

/** Cost of one episode at the agents' price: unfinished tasks count as misses, as QoS counts them. */
export function episodeCost(s: EpisodeSummary, missPrice: number): number {
  return s.worker_seconds + missPrice * (s.tasks_generated - s.tasks_met);
}

const paired = (a: readonly EpisodeRecord[], b: readonly EpisodeRecord[] | null): b is readonly EpisodeRecord[] =>
  b !== null && b.length === a.length && a.length > 0 && b.every((r, i) => r.seed === a[i]?.seed);

const qosPermille = (records: readonly EpisodeRecord[]) => Math.round(mean(records.map((r) => r.summary.qos_rate)) * 1000);

/** Steps below and above the reference's worker count, over the steps both ran, as shares of them. */
export function provisioningTimeshare(
  records: readonly EpisodeRecord[],
  reference: readonly EpisodeRecord[],
): { under: number; over: number } {
  let under = 0;
  let over = 0;
  let steps = 0;
  records.forEach((r, i) => {
    const ref = reference[i]?.worker_counts ?? [];
    const n = Math.min(r.worker_counts.length, ref.length);
    for (let k = 0; k < n; k++) {
      const d = (r.worker_counts[k] as number) - (ref[k] as number);
      if (d < 0) under++;
      else if (d > 0) over++;
    }
    steps += n;
  });
  return steps === 0 ? { under: Number.NaN, over: Number.NaN } : { under: under / steps, over: over / steps };
}

export function fieldMetrics(
  records: readonly EpisodeRecord[],
  yardsticks: { oracle: readonly EpisodeRecord[] | null; hindsight: readonly EpisodeRecord[] | null },
  missPrice: number,
): FieldMetrics {
  const ws = (rs: readonly EpisodeRecord[]) => mean(rs.map((r) => r.summary.worker_seconds));
  const cost = (rs: readonly EpisodeRecord[]) => mean(rs.map((r) => episodeCost(r.summary, missPrice)));
  const { oracle, hindsight } = yardsticks;
  const share = paired(records, hindsight) ? provisioningTimeshare(records, hindsight) : null;
  return {
    ws_over_oracle: paired(records, oracle) && qosPermille(records) >= qosPermille(oracle) ? ws(records) / ws(oracle) : null,
    cost_ratio: paired(records, hindsight) ? cost(records) / cost(hindsight) : null,
    under_timeshare: share?.under ?? null,
    over_timeshare: share?.over ?? null,
  };
}
