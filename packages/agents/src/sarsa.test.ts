import { describe, expect, it } from 'vitest';
import {
  BoxSpace,
  ConfigError,
  createRng,
  DeltaSpace,
  type Env,
  type Observation,
  type StepInfo,
  type WindowMetrics,
} from '@autofarm/core';
import {
  binIndex,
  DEFAULT_EDGES,
  discretise,
  epsilonAfter,
  resolveEdges,
  SarsaAgent,
  sarsaPolicy,
  stateSpaceSize,
  trainSarsa,
  type SarsaHyperParams,
} from './sarsa.js';

const HP: SarsaHyperParams = {
  alpha: 0.1,
  gamma: 0.9,
  epsilon: 0.4,
  epsilon_min: 0.1,
  epsilon_decay: 0.995,
  lambda: 0,
  trace: 'accumulating',
  trace_threshold: 1e-5,
  reward_offset: 0,
};

describe('discretisation', () => {
  const edges = resolveEdges();

  it('maps the three test vectors of the reference §9.1', () => {
    expect(discretise([3, 0, 0, 0, 12, 1.5, 1.5, 0, 1], edges)).toEqual([3, 0, 0, 0, 3, 2, 0, 0, 5]);
    expect(discretise([2, 9, 0, 192, 12, 1.84, 3.33, 9.79, 0.9118], edges)).toEqual([2, 3, 0, 0, 3, 2, 0, 4, 3]);
    expect(discretise([1, 2.5, 0, 0, 11.5, 0.5, 0, 0.15, 0.999], edges)).toEqual([1, 2, 0, 0, 3, 1, 0, 1, 5]);
  });

  it('has the original state-space size of 53 760 with the default edges', () => {
    expect(stateSpaceSize(edges)).toBe(53_760);
  });

  it('puts a value on an edge into the upper bin and values below every edge into bin 0', () => {
    expect(binIndex(0.5, [0.5, 1.5])).toBe(1);
    expect(binIndex(0.49, [0.5, 1.5])).toBe(0);
    expect(binIndex(100, [0.5, 1.5])).toBe(2);
    expect(binIndex(7, [])).toBe(0);
  });

  it('replaces only the components named in config.sarsa.bins', () => {
    const custom = resolveEdges({ workers: [4.5, 8.5] });
    expect(custom[4]).toEqual([4.5, 8.5]);
    expect(custom[1]).toEqual(DEFAULT_EDGES.worker_q);
  });

  it('rejects unknown components and edges that do not increase, naming the path', () => {
    expect(() => resolveEdges({ workerz: [1] })).toThrow(ConfigError);
    expect(() => resolveEdges({ workers: [2, 1] })).toThrow(/sarsa\.bins\.workers/);
  });
});

describe('acting', () => {
  const agent = new SarsaAgent(resolveEdges(), new DeltaSpace(1), HP);

  it('holds (no-op) in a state it has never seen, instead of scaling up', () => {
    expect(agent.greedy('9,9,9,9,9,9,9,9,9')).toBe(1);
    expect(sarsaPolicy(agent).act([3, 0, 0, 0, 12, 1.5, 1.5, 0, 1], {} as never)).toBe(0);
  });

  it('does not create a table row when an unseen state is read', () => {
    agent.values('1,2,3,4,5,6,7,8,9');
    expect(agent.q.size).toBe(0);
  });

  it('takes the best action and prefers scaling up when up and down tie above hold', () => {
    const a = new SarsaAgent(resolveEdges(), new DeltaSpace(1), HP);
    a.q.set('s', Float64Array.from([2, 1, 0]));
    expect(a.greedy('s')).toBe(0);
    a.q.set('t', Float64Array.from([0, -1, 0]));
    expect(a.greedy('t')).toBe(2);
    a.q.set('u', Float64Array.from([3, 3, 3]));
    expect(a.greedy('u')).toBe(1);
  });

  it('explores uniformly with probability epsilon from the given stream only', () => {
    const a = new SarsaAgent(resolveEdges(), new DeltaSpace(1), HP);
    a.epsilon = 1;
    const rng = createRng(7);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) (counts[a.select('s', rng)] as number)++;
    for (const c of counts) expect(c).toBeGreaterThan(900);
    a.epsilon = 0;
    a.q.set('s', Float64Array.from([0, 0, 1]));
    expect(a.select('s', rng)).toBe(2);
  });
});

describe('learning', () => {
  it('does not bootstrap when the episode terminated', () => {
    const a = new SarsaAgent(resolveEdges(), new DeltaSpace(1), HP);
    a.q.set('n', Float64Array.from([10, 10, 10]));
    a.update('s', 1, 2, null);
    expect(a.values('s')[1]).toBeCloseTo(0.1 * 2, 12);
  });

  it('bootstraps through a truncation (the next state and action are given)', () => {
    const a = new SarsaAgent(resolveEdges(), new DeltaSpace(1), HP);
    a.q.set('n', Float64Array.from([10, 10, 10]));
    const delta = a.update('s', 1, 2, { state: 'n', action: 0 });
    expect(delta).toBeCloseTo(2 + 0.9 * 10, 12);
    expect(a.values('s')[1]).toBeCloseTo(0.1 * 11, 12);
  });

  it('learns from the reward minus reward_offset', () => {
    const a = new SarsaAgent(resolveEdges(), new DeltaSpace(1), { ...HP, reward_offset: 5 });
    a.update('s', 1, 5.4, null);
    expect(a.values('s')[1]).toBeCloseTo(0.1 * 0.4, 12);
  });

  it('spreads the TD error back along accumulating traces', () => {
    const a = new SarsaAgent(resolveEdges(), new DeltaSpace(1), { ...HP, lambda: 0.5 });
    a.beginEpisode();
    a.update('s', 0, 0, { state: 's', action: 0 });
    // second visit of (s, 0): trace = 1·γλ + 1 = 1.45; δ = 1 + γ·0 − 0 = 1
    a.update('s', 0, 1, { state: 'x', action: 1 });
    expect(a.values('s')[0]).toBeCloseTo(0.1 * 1 * 1.45, 12);
  });

  it('caps a replacing trace at 1 and clears the other actions of the state', () => {
    const a = new SarsaAgent(resolveEdges(), new DeltaSpace(1), { ...HP, lambda: 0.5, trace: 'replacing' });
    a.beginEpisode();
    a.update('s', 2, 0, { state: 's', action: 0 });
    a.update('s', 0, 0, { state: 's', action: 0 });
    a.update('s', 0, 1, { state: 'x', action: 1 });
    // trace of (s,0) was replaced to 1 (not 1.45); (s,2) was cleared by the visit of (s,0)
    expect(a.values('s')[0]).toBeCloseTo(0.1, 12);
    expect(a.values('s')[2]).toBe(0);
  });

  it('credits an earlier state through the trace and forgets it once the trace is negligible', () => {
    const a = new SarsaAgent(resolveEdges(), new DeltaSpace(1), { ...HP, lambda: 0.5, trace_threshold: 0.3 });
    a.beginEpisode();
    a.update('p', 1, 0, { state: 'q', action: 1 });
    a.update('q', 1, 1, { state: 'r', action: 1 });
    // trace of p after two decays is 0.45·... : first decay 0.45 (kept), credit 0.1·1·0.45
    expect(a.values('p')[1]).toBeCloseTo(0.045, 12);
    a.update('r', 1, 1, { state: 'z', action: 1 });
    // p's trace fell to 0.2025 < 0.3 after the second update and was dropped: no further credit
    a.update('z', 1, 1, null);
    expect(a.values('p')[1]).toBeCloseTo(0.045, 12);
  });

  it('decays epsilon once per episode to its floor', () => {
    expect(epsilonAfter(HP, 0)).toBe(0.4);
    expect(epsilonAfter(HP, 100)).toBeCloseTo(0.4 * 0.995 ** 100, 12);
    expect(epsilonAfter(HP, 1000)).toBe(0.1);
  });
});

/**
 * A toy farm: the observation's `workers` moves by the action, the "right" count is 6, reward
 * −|workers − 6|, the episode is truncated after 12 steps, or terminated when the agent holds
 * at 6 (reward +5). A learner must move to 6 and hold.
 */
class ToyEnv implements Env {
  readonly observationSpace = new BoxSpace([0, 0, 0, 0, 1, 0, 0, 0, 0], [3, 800, 10, 1140, 10, 150, 160, 12, 1]);
  readonly actionSpace = new DeltaSpace(1);
  readonly deterministic = true;
  private w = 1;
  private t = 0;
  private obs(): Observation {
    return [0, 0, 0, 0, this.w, 1.5, 1.5, 0, 1];
  }
  private info(requested: number, applied: number, end: boolean): StepInfo {
    return {
      step: this.t,
      time: this.t * 8,
      requestedDelta: requested,
      appliedDelta: applied,
      workers: this.w,
      queueLength: 0,
      qosRate: 1,
      episodeQos: 1,
      totalReward: 0,
      scalingActions: 0,
      qosViolations: 0,
      processedTasks: this.t,
      enqueuedTotal: this.t,
      unfinishedTasks: 0,
      episodeFinalQos: end ? 1 : null,
      metrics: {} as WindowMetrics,
      latencies: [],
    };
  }
  async reset(options: { seed?: number } = {}) {
    this.w = 1 + ((options.seed ?? 0) % 10);
    this.t = 0;
    return { observation: this.obs(), info: this.info(0, 0, false) };
  }
  async step(action: number) {
    this.t += 1;
    const before = this.w;
    this.w = Math.min(10, Math.max(1, this.w + action));
    const terminated = this.w === 6 && action === 0;
    const truncated = !terminated && this.t >= 12;
    const reward = terminated ? 5 : -Math.abs(this.w - 6);
    return { observation: this.obs(), reward, terminated, truncated, info: this.info(action, this.w - before, terminated || truncated) };
  }
  async close() {}
}

const TOY_EDGES = resolveEdges({
  workers: [1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5],
  avg_time: [],
  qos_rate: [],
  arrival_rate: [],
  worker_q: [],
  input_q: [],
});

describe('trainSarsa', () => {
  const hp: SarsaHyperParams = { ...HP, alpha: 0.2, lambda: 0.6, epsilon: 0.3, epsilon_min: 0.05, epsilon_decay: 0.97 };

  it('learns to move to the right worker count and hold there', async () => {
    const agent = new SarsaAgent(TOY_EDGES, new DeltaSpace(1), hp);
    await trainSarsa(new ToyEnv(), agent, { episodes: 150, seed: 3 });
    const policy = sarsaPolicy(agent);
    for (let w = 1; w <= 10; w++) {
      const a = policy.act([0, 0, 0, 0, w, 1.5, 1.5, 0, 1], {} as never);
      expect(a).toBe(w < 6 ? 1 : w > 6 ? -1 : 0);
    }
  });

  it('produces the identical Q-table for the same seed and a different one for another seed', async () => {
    const run = async (seed: number) => {
      const agent = new SarsaAgent(TOY_EDGES, new DeltaSpace(1), { ...hp, trace: 'replacing' });
      await trainSarsa(new ToyEnv(), agent, { episodes: 20, seed });
      return [...agent.q].map(([s, r]) => [s, Array.from(r)]);
    };
    const a = await run(11);
    expect(await run(11)).toEqual(a);
    expect(await run(12)).not.toEqual(a);
  });

  it('reports each step and episode and checkpoints every k episodes', async () => {
    const agent = new SarsaAgent(TOY_EDGES, new DeltaSpace(1), hp);
    let steps = 0;
    const checkpoints: number[] = [];
    const stats = await trainSarsa(new ToyEnv(), agent, {
      episodes: 7,
      seed: 1,
      checkpointEvery: 3,
      hooks: { onStep: () => void steps++, onCheckpoint: (e) => void checkpoints.push(e) },
    });
    expect(stats.map((s) => s.episode)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(stats.map((s) => s.seed)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(steps).toBe(stats.reduce((n, s) => n + s.steps, 0));
    expect(checkpoints).toEqual([3, 6]);
    let n = 0;
    const stopped = await trainSarsa(new ToyEnv(), agent, { episodes: 7, seed: 1, shouldStop: () => ++n >= 2 });
    expect(stopped).toHaveLength(2);
    for (const s of stats) {
      expect(s.terminated || s.truncated).toBe(true);
      expect(s.epsilon).toBeCloseTo(epsilonAfter(hp, s.episode), 12);
    }
  });
});
