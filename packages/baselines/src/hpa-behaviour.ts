/**
 * The Kubernetes HorizontalPodAutoscaler's control loop, shared by `hpa` and `keda` (KEDA hands
 * its metric to an HPA, anchors §A.2). One sync (anchors §A.1; kubernetes
 * pkg/controller/podautoscaler/replica_calculator.go and horizontal.go):
 *
 * 1. the replica calculator turns an AverageValue metric into a recommendation:
 *    usageRatio = total / (targetPerPod × current); inside the tolerance (|ratio − 1| ≤ 0.1) it
 *    keeps `current`, else ceil(total / targetPerPod);
 * 2. stabilization: the recommendations of the last scaleUp.stabilizationWindowSeconds (0 s) bound
 *    a scale-up by their minimum, those of the last scaleDown.stabilizationWindowSeconds (300 s) a
 *    scale-down by their maximum — so a dip must last the whole window before the farm shrinks;
 * 3. rate limits: the behavior's policies (hpa-scaling-rules.ts), then [minWorkers, maxWorkers].
 *
 * A sync runs every sync period (15 s); under native actuation the policy's cadence is that
 * period, so the result is applied at once. The history starts empty, as for a new HPA.
 */
import { clampWorkers, type HpaBehaviorConfig } from '@autofarm/core';
import { scaleDownLimit, scaleUpLimit, type ScaleEvent } from './hpa-scaling-rules.js';

export interface HpaBehaviourOptions {
  /** Seconds between two evaluations (--horizontal-pod-autoscaler-sync-period). */
  syncPeriod: number;
  /** Dead band around a usage ratio of 1 (--horizontal-pod-autoscaler-tolerance). */
  tolerance: number;
  behavior: HpaBehaviorConfig;
}

/**
 * The replica calculator for an AverageValue metric. E.g. total 40, target 4, current 10:
 * ratio 1.0 -> keep 10; total 45 -> ratio 1.125 -> ceil(45 / 4) = 12.
 */
export function averageValueReplicas(total: number, targetPerPod: number, current: number, tolerance: number): number {
  const ratio = total / (targetPerPod * Math.max(current, 1));
  // 1e-9: 44 / 40 is 1.1000000000000001 in floating point; a ratio of exactly 1.1 is inside.
  if (Math.abs(1 - ratio) <= tolerance + 1e-9) return current;
  return Math.max(0, Math.ceil(total / targetPerPod - 1e-9)); // 6 / 2 must stay 3 after float noise
}

export class HpaBehaviour {
  private lastSync: number | null = null;
  private recommendations: Array<{ time: number; replicas: number }> = [];
  private events: ScaleEvent[] = [];

  constructor(readonly options: HpaBehaviourOptions) {}

  reset(): void {
    this.lastSync = null;
    this.recommendations = [];
    this.events = [];
  }

  /** True if a sync is due at `time` (the first decision always syncs). */
  due(time: number): boolean {
    return this.lastSync === null || time - this.lastSync >= this.options.syncPeriod - 1e-9;
  }

  /**
   * One sync at `time`: `recommendation` from the replica calculator, `current` the replicas now.
   * Returns the replica count the HPA sets.
   */
  sync(time: number, recommendation: number, current: number, range: { minWorkers: number; maxWorkers: number }): number {
    const { scaleUp, scaleDown } = this.options.behavior;
    let upBound = recommendation;
    let downBound = recommendation;
    for (const r of this.recommendations) {
      if (r.time > time - scaleUp.stabilizationWindowSeconds + 1e-9) upBound = Math.min(upBound, r.replicas);
      if (r.time > time - scaleDown.stabilizationWindowSeconds + 1e-9) downBound = Math.max(downBound, r.replicas);
    }
    const stabilized = Math.min(Math.max(current, upBound), downBound);
    const keep = Math.max(scaleUp.stabilizationWindowSeconds, scaleDown.stabilizationWindowSeconds);
    this.recommendations = this.recommendations.filter((r) => r.time > time - keep);
    this.recommendations.push({ time, replicas: recommendation });

    let desired = stabilized;
    if (desired > current) desired = Math.min(desired, scaleUpLimit(current, this.events, time, scaleUp));
    else if (desired < current) desired = Math.max(desired, scaleDownLimit(current, this.events, time, scaleDown));
    desired = clampWorkers(desired, range);
    const longest = Math.max(...scaleUp.policies.map((p) => p.periodSeconds), ...scaleDown.policies.map((p) => p.periodSeconds));
    this.events = this.events.filter((e) => e.time > time - longest);
    if (desired !== current) this.events.push({ time, change: desired - current });
    this.lastSync = time;
    return desired;
  }
}
