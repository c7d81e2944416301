/**
 * The reward: every term of the original (reference §7.7), weights from config.reward, as one
 * pure function of the new observation and the applied delta. Worked values (shipped weights,
 * 12 initial workers) are pinned in reward.test.ts: q=1, Q=0, W=12, Δ=0 -> 5.40.
 */
import type { Config, Observation } from '@autofarm/core';

export function computeReward(obs: Observation, applied: number, reward: Config['reward'], initialWorkers: number): number {
  const q = obs[8] as number;
  const Q = obs[1] as number;
  const W = obs[4] as number;
  const w = reward.weights;
  const qStar = reward.target_qos;
  const QStar = Math.max(1, reward.queue_target);
  const balanced = reward.balanced_workers ?? initialWorkers;
  const idleThreshold = reward.idle_queue_threshold ?? 0.25 * QStar;

  const rho = Q / QStar;
  const overloaded = rho > 1 || q < qStar;
  const rQos = w.qos * (q - qStar);
  const pBacklog = w.backlog * Math.max(0, rho - 1) ** 2;
  const pEfficiency = Q <= idleThreshold && q >= qStar ? w.efficiency * Math.max(0, W - balanced) : 0;
  const pScaling = w.scaling * Math.abs(applied);
  let bDirection = 0;
  if (applied > 0 && overloaded) bDirection = w.scale_up * Math.abs(applied);
  else if (applied < 0 && !overloaded) bDirection = w.scale_down * Math.abs(applied);
  const bStable = q >= qStar && rho <= 0.5 ? 0.1 * w.qos : 0;
  return rQos - pBacklog - pEfficiency - pScaling + bDirection + bStable;
}

/**
 * Added to the last step's reward. Truncated with work left: −scale × min(pending, cap)
 * (cap = queue_target unless set). Terminated (all collected): +completion_bonus — also when
 * that happens on the last allowed step, which the original left unrewarded (reference §16.2 item 20).
 */
export function terminalReward(kind: 'terminated' | 'truncated', pending: number, reward: Config['reward']): number {
  if (kind === 'terminated') return reward.completion_bonus;
  if (pending <= 0 || reward.unfinished_penalty_scale <= 0) return 0;
  const cap = reward.unfinished_penalty_cap ?? reward.queue_target;
  return -reward.unfinished_penalty_scale * Math.min(pending, cap);
}
