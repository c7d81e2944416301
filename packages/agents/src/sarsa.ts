/**
 * Tabular SARSA(λ) for the farm, one file top to bottom (CleanRL style):
 *   1. hyper-parameters  2. discretisation  3. Q-table  4. acting  5. learning
 *   6. the training loop  7. the greedy policy used by evaluation.
 *
 * Behaviour follows the original (reference §9) except for the weaknesses it lists, each fixed
 * where it happens and marked "FIX reference §16 item n":
 *   - §16 item 19 terminal handling: no bootstrap on `terminated`, bootstrap through `truncated`;
 *   - §16 item 23 tie-breaking: ties go to "hold" (no-op), never "always scale up";
 *   - §16 item 25 evaluation uses the edges stored with the model, never rebuilt ones;
 *   - §9.2 a read of an unseen state does not create a table row.
 * Randomness: exploration draws from its own stream, split from each episode's seed, so the
 * same seed gives the same Q-table (and the environment's streams never shift).
 */
import {
  ConfigError,
  createRng,
  OBSERVATION_NAMES,
  type ActionSpace,
  type Env,
  type Observation,
  type ObservationName,
  type Policy,
  type Rng,
  type SarsaConfig,
  type StepInfo,
} from '@autofarm/core';
import { exponentialDecay, yieldToEventLoop } from './schedules.js';

// ---------------------------------------------------------------- 1. hyper-parameters

/** Everything that shapes learning; the configuration's `sarsa` block minus the budget and bins. */
export type SarsaHyperParams = Omit<SarsaConfig, 'episodes' | 'bins'>;

export function hyperParamsOf(config: SarsaConfig): SarsaHyperParams {
  const { alpha, gamma, epsilon, epsilon_min, epsilon_decay, lambda, trace, trace_threshold, reward_offset } = config;
  return { alpha, gamma, epsilon, epsilon_min, epsilon_decay, lambda, trace, trace_threshold, reward_offset };
}

/** ε before episode e+1 (e episodes done): the original's per-episode multiplicative decay (reference §9.4). */
export function epsilonAfter(hp: SarsaHyperParams, episodesDone: number): number {
  return exponentialDecay({ start: hp.epsilon, end: hp.epsilon_min, decay: hp.epsilon_decay })(episodesDone);
}

// ---------------------------------------------------------------- 2. discretisation

/**
 * The original's default edges (reference §9.1, `--bins 4 7 1 1 8 8 1 5 6`): 4·7·8·8·5·6 = 53 760 states.
 * An empty list means one bin (the component is ignored).
 */
export const DEFAULT_EDGES: Readonly<Record<ObservationName, readonly number[]>> = {
  input_q: [0.5, 1.5, 2.5],
  worker_q: [0.5, 2.5, 5.5, 9.5, 15.5, 30.5],
  result_q: [],
  output_q: [],
  workers: [3.5, 7.5, 11.5, 12.5, 16.5, 20.5, 24.5],
  avg_time: [0.5, 1, 2, 4, 8, 16, 32],
  max_time: [],
  arrival_rate: [0.15, 0.5, 1.5, 3.5],
  qos_rate: [0.5, 0.8, 0.9, 0.95, 0.999],
};

/** Bin edges per observation component, in OBSERVATION_NAMES order. */
export type Edges = readonly (readonly number[])[];

/**
 * The edges in force: DEFAULT_EDGES with `config.sarsa.bins` entries replacing whole components.
 * Throws a ConfigError for an unknown component name or edges that are not strictly increasing.
 */
export function resolveEdges(bins: Readonly<Record<string, readonly number[]>> = {}): Edges {
  const known = new Set<string>(OBSERVATION_NAMES);
  const issues = [];
  for (const [name, edges] of Object.entries(bins)) {
    if (!known.has(name))
      issues.push({
        path: `sarsa.bins.${name}`,
        message: `unknown observation component; expected one of ${OBSERVATION_NAMES.join(', ')}`,
      });
    else if (edges.some((x, i) => !Number.isFinite(x) || (i > 0 && x <= (edges[i - 1] as number)))) {
      issues.push({ path: `sarsa.bins.${name}`, message: `expected strictly increasing finite edges, found [${edges.join(', ')}]` });
    }
  }
  if (issues.length > 0) throw new ConfigError('configuration', issues);
  return OBSERVATION_NAMES.map((name) => [...(bins[name] ?? DEFAULT_EDGES[name])]);
}

/**
 * Bin index = number of edges <= x, so bin i covers [e_i, e_(i+1)) and a value on an edge goes up.
 * Both sides are rounded to float32 first, as the original stores edges and observations in
 * float32: 0.15 (float64) is below float32(0.15) = 0.15000000596, and reference §9.1's third test vector
 * expects arrival_rate 0.15 in bin 1.
 */
export function binIndex(x: number, edges: readonly number[]): number {
  const v = Math.fround(x);
  let i = 0;
  while (i < edges.length && v >= Math.fround(edges[i] as number)) i++;
  return i;
}

/** The 9-tuple of bin indices, e.g. [3,0,0,0,12,1.5,1.5,0,1] -> [3,0,0,0,3,2,0,0,5] (reference §9.1). */
export function discretise(observation: Observation, edges: Edges): number[] {
  return edges.map((e, i) => binIndex(observation[i] ?? 0, e));
}

/** Number of distinct states: the product of the bin counts (53 760 for DEFAULT_EDGES). */
export function stateSpaceSize(edges: Edges): number {
  return edges.reduce((n, e) => n * (e.length + 1), 1);
}

// ---------------------------------------------------------------- 3. Q-table

/** A state key: the bin indices joined by commas ("3,0,0,0,3,2,0,0,5"). */
export type StateKey = string;

/**
 * The sparse Q-table, eligibility traces and visit counts of one agent.
 * Invariants: every row has `actions.n` entries; index i is the env's action `actions.action(i)`;
 * a row exists only for a state that was updated (reads of unseen states return zeros).
 */
export class SarsaAgent {
  readonly q = new Map<StateKey, Float64Array>();
  readonly visits = new Map<StateKey, number>();
  private traces = new Map<StateKey, Float64Array>();
  private readonly zeros: Float64Array;
  /** Exploration rate in force; the training loop sets it per episode from the schedule. */
  epsilon: number;

  constructor(
    readonly edges: Edges,
    readonly actions: ActionSpace,
    readonly hp: SarsaHyperParams,
  ) {
    this.zeros = new Float64Array(actions.n);
    this.epsilon = hp.epsilon;
  }

  stateOf(observation: Observation): StateKey {
    return discretise(observation, this.edges).join(',');
  }

  /** FIX reference §9.2: the original created a zero row on every read; a read here changes nothing. */
  values(state: StateKey): Readonly<Float64Array> {
    return this.q.get(state) ?? this.zeros;
  }

  private row(map: Map<StateKey, Float64Array>, state: StateKey): Float64Array {
    let r = map.get(state);
    if (!r) map.set(state, (r = new Float64Array(this.actions.n)));
    return r;
  }

  // ---------------------------------------------------------------- 4. acting

  /**
   * Index of the best action. FIX reference §16 item 23: the original took the highest index among ties, so
   * every unseen state (all zeros) meant "scale up". Here ties go to the action closest to the
   * space's `preferred` index: no-op for deltas (an unseen state holds the worker count), the middle
   * reserve for the general agents. Between +d and -d tied (only when the preferred action is
   * strictly worse) +d wins, because a missed deadline costs more than one worker-step.
   * Deterministic, so the greedy policy stays a pure function of the observation.
   */
  greedy(state: StateKey): number {
    const v = this.values(state);
    const { n, preferred } = this.actions;
    let best = preferred;
    for (let d = 1; d < n; d++) {
      for (const i of [preferred + d, preferred - d]) if (i >= 0 && i < n && (v[i] as number) > (v[best] as number)) best = i;
    }
    return best;
  }

  /** ε-greedy: one uniform draw decides; a second picks the random action (from `rng` only). */
  select(state: StateKey, rng: Rng): number {
    if (rng.float() < this.epsilon) return rng.int(0, this.actions.n - 1);
    return this.greedy(state);
  }

  visit(state: StateKey): void {
    this.visits.set(state, (this.visits.get(state) ?? 0) + 1);
  }

  // ---------------------------------------------------------------- 5. learning

  /** Traces belong to one episode (reference §9.3). */
  beginEpisode(): void {
    this.traces.clear();
  }

  /**
   * One SARSA(λ) update for (s, a, r, s', a'); `next` is null when the episode `terminated`.
   *   δ = (r − c) + γ·Q(s', a') − Q(s, a)        (δ = (r − c) − Q(s, a) when terminated)
   * c = reward_offset (0 = the original). Why: the observation has no clock, so one state is met
   * at step 5 and at step 25, and with c = 0 its value mixes "25 steps of ~5.4 left" with "5
   * left"; an action that leads to states usually seen early then looks better for no reason
   * (measured: the agent kept phase-2 worker counts through phases 3-4). With c near the healthy
   * per-step reward the remaining-steps part of every value is about 0 and only the differences
   * that the actions cause are left. It shifts every step's reward equally, so it changes the
   * objective only through the episode's length, which the workload fixes (≈ 29 steps of 8 s).
   * FIX reference §16 item 19: the original always bootstrapped, even through the real end of the episode.
   * A `truncated` ending (step limit) still bootstraps: the farm would have gone on.
   * Traces (Sutton & Barto 2nd ed. §12.7): accumulating e(s,a) += 1; replacing e(s,·) = 0 then
   * e(s,a) = 1 (Singh & Sutton 1996, which also clears the other actions of s). Every traced row
   * then moves by α·δ·e and its trace decays by γλ; a trace whose largest entry falls below
   * trace_threshold is dropped (γλ = 0.4925 with the defaults: dropped after ~17 steps).
   * Returns δ.
   */
  update(state: StateKey, action: number, reward: number, next: { state: StateKey; action: number } | null): number {
    const { alpha, gamma, lambda, trace, trace_threshold, reward_offset } = this.hp;
    const r = reward - reward_offset;
    const target = next ? r + gamma * (this.values(next.state)[next.action] as number) : r;
    const q = this.row(this.q, state);
    const delta = target - (q[action] as number);
    if (lambda <= 0) {
      q[action] = (q[action] as number) + alpha * delta;
      return delta;
    }
    const e = this.row(this.traces, state);
    if (trace === 'replacing') {
      e.fill(0);
      e[action] = 1;
    } else {
      e[action] = (e[action] as number) + 1;
    }
    const decay = gamma * lambda;
    for (const [s, es] of this.traces) {
      const qs = this.row(this.q, s);
      let largest = 0;
      for (let i = 0; i < es.length; i++) {
        qs[i] = (qs[i] as number) + alpha * delta * (es[i] as number);
        es[i] = (es[i] as number) * decay;
        largest = Math.max(largest, Math.abs(es[i] as number));
      }
      if (largest < trace_threshold) this.traces.delete(s);
    }
    return delta;
  }
}

// ---------------------------------------------------------------- 6. the training loop

/**
 * What the learner knows about an episode it trained on (the learner's fields of the original's
 * training_metrics.json, reference §12.2). The episode's statistics (QoS, workers,
 * scaling counts) are not computed here: a caller that wants them wraps the env in env's
 * RecordEpisodeStatistics, the one place evaluation and training both take them from.
 */
export interface SarsaEpisodeStats {
  episode: number;
  seed: number;
  steps: number;
  total_reward: number;
  /** ε after this episode's decay (as the original logs it). */
  epsilon: number;
  terminated: boolean;
  truncated: boolean;
  /** States with a Q-table row after this episode. */
  table_size: number;
}

export interface SarsaStepEvent {
  episode: number;
  step: number;
  observation: Observation;
  /** Requested delta (the agent's choice). */
  action: number;
  reward: number;
  /** Return of the episode so far. */
  episodeReturn: number;
  tdError: number;
  info: StepInfo;
  terminated: boolean;
  truncated: boolean;
}

export interface SarsaHooks {
  onStep?(event: SarsaStepEvent): void;
  onEpisodeEnd?(stats: SarsaEpisodeStats): void | Promise<void>;
  /** Called after episode `episode` when `checkpointEvery` divides it; may save and evaluate. */
  onCheckpoint?(episode: number, agent: SarsaAgent): void | Promise<void>;
}

export interface TrainSarsaOptions {
  episodes: number;
  /** Base seed. Episode e (1-based) resets with seed + e − 1, as the original (env's trainingSeeds). */
  seed: number;
  /** 0 disables checkpoints. */
  checkpointEvery?: number;
  /** First episode number (> 1 to continue an earlier run: seeds and ε continue from there). */
  firstEpisode?: number;
  hooks?: SarsaHooks;
  /** Checked after every episode; true ends training there (Ctrl-C). */
  shouldStop?: () => boolean;
}

/** Train `agent` in place on `env`; returns one stats object per episode. */
export async function trainSarsa(env: Env, agent: SarsaAgent, options: TrainSarsaOptions): Promise<SarsaEpisodeStats[]> {
  const { episodes, seed, checkpointEvery = 0, firstEpisode = 1, hooks = {}, shouldStop } = options;
  const all: SarsaEpisodeStats[] = [];
  for (let episode = firstEpisode; episode < firstEpisode + episodes; episode++) {
    const episodeSeed = seed + episode - 1;
    const explore = createRng(episodeSeed).stream('sarsa/exploration');
    agent.epsilon = epsilonAfter(agent.hp, episode - 1);
    agent.beginEpisode();

    const start = await env.reset({ seed: episodeSeed });
    let state = agent.stateOf(start.observation);
    let action = agent.select(state, explore);
    let total = 0;
    let steps = 0;
    let ending = { terminated: false, truncated: false };
    for (;;) {
      agent.visit(state);
      const envAction = agent.actions.action(action);
      const result = await env.step(envAction);
      const nextState = agent.stateOf(result.observation);
      const nextAction = result.terminated ? null : agent.select(nextState, explore);
      const tdError = agent.update(state, action, result.reward, nextAction === null ? null : { state: nextState, action: nextAction });
      const info = result.info;
      steps += 1;
      total += result.reward;
      ending = { terminated: result.terminated, truncated: result.truncated };
      hooks.onStep?.({
        episode,
        step: steps,
        observation: result.observation,
        action: envAction,
        reward: result.reward,
        episodeReturn: total,
        tdError,
        info,
        ...ending,
      });
      if (nextAction === null || result.truncated) {
        state = nextState;
        break;
      }
      state = nextState;
      action = nextAction;
    }
    agent.visit(state);
    agent.epsilon = epsilonAfter(agent.hp, episode);
    const stats: SarsaEpisodeStats = {
      episode,
      seed: episodeSeed,
      steps,
      total_reward: total,
      epsilon: agent.epsilon,
      ...ending,
      table_size: agent.q.size,
    };
    all.push(stats);
    await hooks.onEpisodeEnd?.(stats);
    if (checkpointEvery > 0 && episode % checkpointEvery === 0) await hooks.onCheckpoint?.(episode, agent);
    if (shouldStop) {
      await yieldToEventLoop();
      if (shouldStop()) break;
    }
  }
  return all;
}

// ---------------------------------------------------------------- 7. the greedy policy

/**
 * The trained agent as a Policy: the greedy action of the observed state, no exploration, no
 * learning, so evaluation and compare-policies treat it like any baseline.
 * FIX reference §16 item 25: it discretises with the agent's own edges (those stored in the model file); the
 * original's evaluation replaced them with uniform bins.
 */
export function sarsaPolicy(agent: SarsaAgent, name = 'SARSA'): Policy {
  return {
    name,
    reset() {},
    act(observation) {
      return agent.actions.action(agent.greedy(agent.stateOf(observation)));
    },
  };
}
