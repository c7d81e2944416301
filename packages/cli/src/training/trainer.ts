/**
 * The trainer interface of the general training harness (harness.ts): what differs between
 * SARSA and DQN is how one episode is learned, what the greedy policy is and how the model is
 * saved; the run directory, logs, progress, checkpoints, held-out validation, interrupt,
 * metrics and plots are the harness's.
 */
import type { Env, Policy } from '@autofarm/core';
import type { RunDir } from '@autofarm/runs';
import type { AgentKind, TrainingSetting } from './setting.js';

/** Where a trainer writes one step's row when the harness logs that episode: a log line and a steps.jsonl object. */
export type StepSink = (line: string, json: Record<string, unknown>) => void;

export interface Trainer {
  readonly kind: AgentKind;
  /** What the agent learns on and is evaluated on, and the names of the run and its models. */
  readonly setting: TrainingSetting;
  /** Header of this trainer's step rows in logs/training.log. */
  readonly stepHeader: string;
  /** Episodes already learned (0 for a fresh agent; a resumed model's count). */
  readonly episodesDone: number;
  /** Header lines of logs/training.log (hyper-parameters, network, table size, ...). */
  describe(): string[];
  /**
   * Learn one episode on `env` reset with `seed`; `episode` is its 1-based number in the whole
   * run. Returns what only the learner knows; the episode's statistics come from the harness's
   * RecordEpisodeStatistics wrapper.
   */
  trainEpisode(
    env: Env,
    episode: number,
    seed: number,
    steps?: StepSink,
  ): Promise<{ epsilon: number; mean_loss?: number } & Record<string, unknown>>;
  /** The current greedy policy (for checkpoint validation; valid until training goes on). */
  greedy(): Policy;
  /** Write the model; `path` has no extension (SARSA adds .json, DQN writes a directory). Returns what it wrote. */
  save(path: string): Promise<string>;
  /** Summary fields of training_summary.json (table size, gradient updates, ...). */
  summary(): Record<string, unknown>;
  /** Extra files at the end of a run (SARSA: training_state_visits.json). */
  finish?(dir: RunDir): void;
  dispose(): void;
}
