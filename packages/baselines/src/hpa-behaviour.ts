/**
 * The Kubernetes HorizontalPodAutoscaler's control loop, shared by `hpa` and `keda` (KEDA hands
 * its metric to an HPA, anchors §A.2). Rules (anchors §A.1; kubernetes/kubernetes
 * pkg/controller/podautoscaler/replica_calculator.go and horizontal.go):
 *
 * - every sync period (15 s) the controller computes a recommendation from an AverageValue
 *   metric: usageRatio = total / (targetPerPod × current); inside the tolerance
 *   (|usageRatio − 1| ≤ 0.1) it keeps `current`, else desired = ceil(total / targetPerPod);
 * - scale-down stabilization: the applied count is the MAXIMUM of all recommendations made within
 *   the window (300 s), the current one included, so a dip must last the whole window before
 *   the farm shrinks. The history starts empty, as for a freshly created HPA;
 * - the result is clamped to [minWorkers, maxWorkers].
 *
 * Adaptation to the env: the HPA would set the replica count in one go; the env moves at most
 * maxDelta per step, so the policy steps toward the last synced count every decision. With 8 s
 * steps and a 15 s sync period the loop runs on every other decision (t = 0, 16, 32, ... s).
 */
import type { PolicyContext } from '@autofarm/core';
import { clampWorkers } from './common.js';

export interface HpaBehaviourOptions {
  /** Seconds between two evaluations (--horizontal-pod-autoscaler-sync-period). */
  syncPeriod: number;
  /** Dead band around a usage ratio of 1. */
  tolerance: number;
  /** Seconds of recommendations whose maximum bounds a scale-down. */
  downscaleStabilization: number;
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
  private history: Array<{ time: number; replicas: number }> = [];
  private desired: number | null = null;

  constructor(readonly options: HpaBehaviourOptions) {}

  reset(): void {
    this.lastSync = null;
    this.history = [];
    this.desired = null;
  }

  /** True if a sync is due at `time` (the first decision always syncs). */
  due(time: number): boolean {
    return this.lastSync === null || time - this.lastSync >= this.options.syncPeriod - 1e-9;
  }

  /**
   * Run one sync at `time` with this recommendation: store it, stabilise, clamp, remember.
   * Returns the replica count the HPA now wants.
   */
  sync(time: number, recommendation: number, ctx: Pick<PolicyContext, 'minWorkers' | 'maxWorkers'>): number {
    const cutoff = time - this.options.downscaleStabilization;
    this.history = this.history.filter((r) => r.time >= cutoff);
    let stabilised = recommendation;
    for (const r of this.history) stabilised = Math.max(stabilised, r.replicas);
    this.history.push({ time, replicas: recommendation });
    this.lastSync = time;
    this.desired = clampWorkers(stabilised, ctx);
    return this.desired;
  }

  /** The count of the last sync (null before the first one). */
  get current(): number | null {
    return this.desired;
  }
}
