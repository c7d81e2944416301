/**
 * The HorizontalPodAutoscaler's rate limits (spec.behavior.scaleUp/scaleDown.policies), as the
 * controller applies them (kubernetes pkg/controller/podautoscaler/horizontal.go,
 * convertDesiredReplicasWithBehaviorRate): each policy limits the change relative to the replicas
 * at the START of its period — the current count minus what scale events inside the period added,
 * plus what they removed — and selectPolicy picks the most (Max) or least (Min) permissive one.
 *
 * Worked example (defaults: up Percent 100 and Pods 4 per 15 s, Max): desired 20 from 3 replicas.
 * Sync at 0 s: period start 3 -> max(ceil(3 × 2), 3 + 4) = 7. Sync at 15 s: the +4 event is no
 * longer inside (0, 15] -> start 7 -> max(14, 11) = 14. Sync at 30 s: start 14 -> 28, capped by the
 * desired 20. So 3 -> 7 -> 14 -> 20, one sync apart.
 */
import type { HpaScalingRulesConfig } from '@autofarm/core';

export interface ScaleEvent {
  time: number;
  /** Replicas added (> 0) or removed (< 0). */
  change: number;
}

/** Replicas added (sign +1) or removed (sign -1) by events inside the `period` seconds before `now`. */
function changeInPeriod(events: readonly ScaleEvent[], now: number, period: number, sign: 1 | -1): number {
  let total = 0;
  // Strictly after the cutoff, as the controller's timestamp.After(cutoff); 1e-9 absorbs clock float noise.
  for (const e of events) if (e.time > now - period + 1e-9 && Math.sign(e.change) === sign) total += Math.abs(e.change);
  return total;
}

function periodStart(current: number, events: readonly ScaleEvent[], now: number, period: number): number {
  return current - changeInPeriod(events, now, period, 1) + changeInPeriod(events, now, period, -1);
}

/** The most replicas scale-up rules allow now (never below `current`). */
export function scaleUpLimit(current: number, events: readonly ScaleEvent[], now: number, rules: HpaScalingRulesConfig): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = periodStart(current, events, now, p.periodSeconds);
    return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
  });
  const limit = rules.selectPolicy === 'Min' ? Math.min(...proposals) : Math.max(...proposals);
  return Math.max(limit, current);
}

/** The fewest replicas scale-down rules allow now (never above `current`). */
export function scaleDownLimit(current: number, events: readonly ScaleEvent[], now: number, rules: HpaScalingRulesConfig): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const proposals = rules.policies.map((p) => {
    const start = periodStart(current, events, now, p.periodSeconds);
    // int32(start × (1 − value/100)): truncation, as the controller's conversion.
    return p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
  });
  // Max (the default) allows the largest change, i.e. the lowest count.
  const limit = rules.selectPolicy === 'Min' ? Math.max(...proposals) : Math.min(...proposals);
  return Math.min(limit, current);
}
