/**
 * The training log both trainers write (logs/training.log): fixed-width step rows (the original's
 * nine numbers, or the general agents' features), the reference §12.7 episode and [EVAL] lines
 * the plot tools parse, and the §12.3 checkpoint record. Lines are buffered and appended per
 * episode, so a long run's log survives a crash. `total_reward` is always the farm's shaped
 * reward (§7.7); what a general agent is paid for is the `cost` (episodeCost).
 */
import { appendFileSync } from 'node:fs';
import { mean, std, type StepInfo } from '@autofarm/core';
import { episodeCost, summarize, type EpisodeRecord } from '@autofarm/env';
import type { EvaluationCheckpoint, RunDir, TrainingEpisode } from '@autofarm/runs';

export interface TrainingLog {
  push(line: string): void;
  /** Appends what was pushed since the last flush. */
  flush(): void;
}

/** Starts logs/training.log in `dir` with `header` lines (written at the first flush). */
export function openTrainingLog(dir: RunDir, header: readonly string[]): TrainingLog {
  const file = dir.writeText('logs/training.log', '');
  const lines = [...header];
  return {
    push: (line) => void lines.push(line),
    flush: () => {
      if (lines.length === 0) return;
      appendFileSync(file, `${lines.join('\n')}\n`);
      lines.length = 0;
    },
  };
}

/**
 * Reference §12.3 from evaluation records: mean ± population std of the compare-policies summary
 * fields; with `missPrice` (general mode) also the cost the agent is paid for, worker-seconds +
 * missPrice × missed deadlines per episode (episodeCost; the shaped total_reward means nothing to it).
 */
export function checkpointFrom(episode: number, records: readonly EpisodeRecord[], missPrice?: number): EvaluationCheckpoint {
  const s = summarize(records);
  const pair = (k: keyof typeof s) => [s[k].mean, s[k].std] as const;
  const [mtr, str] = pair('total_reward');
  const [mmr, smr] = pair('mean_reward');
  const [mfq, sfq] = pair('qos_rate');
  const [mmq, smq] = pair('mean_qos');
  const [msa, ssa] = pair('scaling_actions');
  const [mna, sna] = pair('noop_actions');
  const [mxw, sxw] = pair('max_workers');
  const [mmw, smw] = pair('mean_workers');
  return {
    episode,
    mean_total_reward: mtr,
    std_total_reward: str,
    mean_mean_reward: mmr,
    std_mean_reward: smr,
    mean_final_qos: mfq,
    std_final_qos: sfq,
    mean_mean_qos: mmq,
    std_mean_qos: smq,
    mean_scaling_actions: msa,
    std_scaling_actions: ssa,
    mean_noop_actions: mna,
    std_noop_actions: sna,
    mean_max_workers: mxw,
    std_max_workers: sxw,
    mean_mean_workers: mmw,
    std_mean_workers: smw,
    eval_episodes: records.length,
    ...(missPrice === undefined ? {} : costOf(records, missPrice)),
  };
}

function costOf(records: readonly EpisodeRecord[], missPrice: number): { mean_cost: number; std_cost: number } {
  const costs = records.map((r) => episodeCost(r.summary, missPrice));
  return { mean_cost: mean(costs), std_cost: std(costs) };
}

const f = (x: number, d: number, w: number) => x.toFixed(d).padStart(w);
const sign = (d: number) => (d > 0 ? `+${d}` : String(d));

export const STEP_HEADER =
  '   Ep Step Time[s] Action Applied Input_Q Worker_Q Result_Q Output_Q Workers QoS[%] ' +
  'AVG_T[s] MAX_T[s]    ARR   Reward Processed Violations     Loss';

/** One fixed-width step row (the original's 15 columns plus applied delta, counters and loss). */
export function stepRow(
  episode: number,
  obs: readonly number[],
  info: StepInfo,
  action: number,
  reward: number,
  loss: number | null,
): string {
  const o = (i: number) => obs[i] as number;
  return [
    f(episode, 0, 5),
    f(info.step, 0, 4),
    f(info.time, 1, 7),
    sign(action).padStart(6),
    sign(info.appliedDelta).padStart(7),
    f(o(0), 0, 7),
    f(o(1), 0, 8),
    f(o(2), 0, 8),
    f(o(3), 0, 8),
    f(o(4), 0, 7),
    f(o(8) * 100, 1, 6),
    f(o(5), 2, 8),
    f(o(6), 2, 8),
    f(o(7), 2, 6),
    f(reward, 3, 8),
    f(info.processedTasks, 0, 9),
    f(info.qosViolations, 0, 10),
    loss === null ? '        -' : f(loss, 4, 8),
  ].join(' ');
}

export const FEATURE_STEP_HEADER =
  '   Ep Step Time[s] Action Applied Workers Worker_Q QoS[%]   load  trend  queue    qos latency headroom  burst  ahead spread  recur' +
  '   Reward Processed Violations     Loss';

/**
 * One fixed-width step row of a general agent: its action index, what the farm applied, then the
 * ten features it decided on (agents/general/features.ts) and the cost reward it was paid.
 */
export function featureStepRow(
  episode: number,
  features: readonly number[],
  info: StepInfo,
  action: number,
  reward: number,
  loss: number | null,
): string {
  const x = (i: number, w: number) => f(features[i] as number, 3, w);
  return [
    f(episode, 0, 5),
    f(info.step, 0, 4),
    f(info.time, 1, 7),
    String(action).padStart(6),
    sign(info.appliedDelta).padStart(7),
    f(info.workers, 0, 7),
    f(info.queueLength, 0, 8),
    f(info.qosRate * 100, 1, 6),
    x(0, 6),
    x(1, 6),
    x(2, 6),
    x(3, 6),
    x(4, 7),
    x(5, 8),
    x(6, 6),
    x(7, 6),
    x(8, 6),
    x(9, 6),
    f(reward, 3, 8),
    f(info.processedTasks, 0, 9),
    f(info.qosViolations, 0, 10),
    loss === null ? '        -' : f(loss, 4, 8),
  ].join(' ');
}

/** The reference §12.7 episode line that plot/merge tools parse. */
export function episodeLine(e: TrainingEpisode, total: number): string {
  return (
    `Episode ${e.episode}/${total} | steps=${e.steps} reward=${e.total_reward.toFixed(2)} mean_qos=${e.mean_qos.toFixed(4)} ` +
    `final_qos=${e.final_qos.toFixed(4)} tasks=${e.processed_tasks} loss=${(e.mean_loss ?? 0).toFixed(4)} ` +
    `epsilon=${e.epsilon.toFixed(4)} ` +
    `scale_up=${e.scale_up_count} scale_down=${e.scale_down_count} noop=${e.noop_count} mean_workers=${e.mean_workers.toFixed(2)} ` +
    `max_workers=${e.max_workers} qos_violations=${e.qos_violations} unfinished=${e.unfinished_tasks}`
  );
}

/** The reference §12.7 [EVAL] line (QoS in %); `episodes` names what was evaluated. */
export function evalLine(c: EvaluationCheckpoint, episodes = 'held-out seeds'): string {
  const ms = (m: number, s: number, d = 2) => `${m.toFixed(d)}±${s.toFixed(d)}`;
  return (
    `[EVAL] Episode ${c.episode} | total_reward=${ms(c.mean_total_reward, c.std_total_reward)} ` +
    `mean_reward=${ms(c.mean_mean_reward, c.std_mean_reward)} ` +
    `final_qos=${(c.mean_final_qos * 100).toFixed(2)}%±${(c.std_final_qos * 100).toFixed(2)}% ` +
    `mean_qos=${(c.mean_mean_qos * 100).toFixed(2)}%±${(c.std_mean_qos * 100).toFixed(2)}% ` +
    `max_workers=${ms(c.mean_max_workers, c.std_max_workers)} mean_workers=${ms(c.mean_mean_workers, c.std_mean_workers)} ` +
    `scaling=${ms(c.mean_scaling_actions, c.std_scaling_actions)} noop=${ms(c.mean_noop_actions, c.std_noop_actions)} ` +
    (c.mean_cost === undefined ? '' : `cost=${ms(c.mean_cost, c.std_cost ?? 0, 0)} `) +
    `(${c.eval_episodes} ${episodes})`
  );
}
