import { beforeAll, describe, expect, it } from 'vitest';
import { DeltaSpace, type PolicyContext } from '@autofarm/core';
import { DqnAgent, argmax, trainDqn, type DqnHyperParams } from './dqn.js';
import { TfjsQFunction, type QFunction, type QNetworkSpec } from './q-function.js';
import { initTf, tf } from './tf-backend.js';
import { greedyPolicy } from './policy.js';
import { SetPointEnv } from '../testing/test-envs.js';

const base: DqnHyperParams = {
  gamma: 0.9,
  learningRate: 1e-3,
  epsilonStart: 1,
  epsilonEnd: 0.05,
  epsilonDecay: 0.9,
  batchSize: 32,
  replayCapacity: 5000,
  targetUpdate: 1,
  targetTau: 0.05,
  warmupSteps: 100,
  maxGradNorm: 3,
  hiddenLayers: [32, 32],
  rewardClip: 100,
  rewardOffset: 0,
};

/** A QFunction whose outputs the test fixes and whose training inputs it records. */
class FakeQ implements QFunction {
  trained: { actions: number[]; targets: number[] }[] = [];
  weights: Float32Array[] = [new Float32Array([0, 0]), new Float32Array([0])];
  constructor(
    readonly spec: QNetworkSpec,
    public row: number[],
  ) {}
  predict(_s: Float32Array, batch: number): Float32Array {
    return Float32Array.from({ length: batch * this.row.length }, (_, i) => this.row[i % this.row.length] as number);
  }
  trainOnBatch(_s: Float32Array, actions: Int32Array, targets: Float32Array): number {
    this.trained.push({ actions: Array.from(actions), targets: Array.from(targets) });
    return 0.5;
  }
  getWeights(): Float32Array[] {
    return this.weights.map((w) => w.slice());
  }
  setWeights(w: readonly Float32Array[]): void {
    this.weights = w.map((x) => x.slice());
  }
  clone(): FakeQ {
    const c = new FakeQ(this.spec, this.row.slice());
    c.setWeights(this.getWeights());
    return c;
  }
  async save(): Promise<void> {}
  dispose(): void {}
}

function fakeAgent(params: Partial<DqnHyperParams>, onlineRow: number[], targetRow: number[]) {
  const agent = new DqnAgent({
    params: { ...base, warmupSteps: 0, batchSize: 1, ...params },
    observationSize: 2,
    actionSpace: new DeltaSpace(1),
    seed: 1,
    createQ: (spec) => new FakeQ(spec, onlineRow),
  });
  (agent.target as FakeQ).row = targetRow;
  return { agent, online: agent.online as FakeQ, target: agent.target as FakeQ };
}

describe('DqnAgent learning step (fake network)', () => {
  it('uses the Double-DQN target: the online net picks a*, the target net values it', () => {
    // Online prefers index 0; the target's largest value is at index 2 and must NOT be used.
    const { agent, online } = fakeAgent({ gamma: 0.5 }, [5, 1, 1], [1, 2, 10]);
    agent.act([0, 0]);
    agent.observe({ observation: [0, 0], action: 1, reward: 2, nextObservation: [1, 1], terminated: false });
    expect(online.trained[0]?.targets[0]).toBeCloseTo(2 + 0.5 * 1, 6);
    expect(online.trained[0]?.actions[0]).toBe(2); // delta +1 is index 2
  });

  it('bootstraps through a time-limit ending and not through a terminal state', () => {
    const { agent, online } = fakeAgent({ gamma: 0.5 }, [0, 0, 4], [0, 0, 4]);
    agent.act([0, 0]);
    agent.observe({ observation: [0, 0], action: 0, reward: 1, nextObservation: [1, 1], terminated: true });
    expect(online.trained[0]?.targets[0]).toBe(1);
    agent.observe({ observation: [0, 0], action: 0, reward: 1, nextObservation: [1, 1], terminated: false });
    // batch of 1 drawn from 2 transitions: whichever was drawn, its target matches its flag.
    const t = online.trained[1]?.targets[0];
    expect(t === 1 || t === 3).toBe(true);
  });

  it('learns from forked rewards as targets of their own: every action once, no bootstrap, clipped', () => {
    const { agent, online } = fakeAgent({ gamma: 0.9, batchSize: 3, rewardClip: 10 }, [0, 0, 50], [0, 0, 50]);
    agent.act([0, 0]);
    expect(agent.observeRewards([0, 0], [-2, 0.5, 40])).toBe(0.5);
    expect(agent.replay.size).toBe(3);
    const seen = online.trained[0] as { actions: number[]; targets: number[] };
    const byAction = new Map(seen.actions.map((a, i) => [a, seen.targets[i]]));
    // the target network's 50 at index 2 would appear in a bootstrapped target
    expect(byAction).toEqual(
      new Map([
        [0, -2],
        [1, 0.5],
        [2, 10],
      ]),
    );
  });

  it('clips rewards to ±reward_clip before learning from them', () => {
    const { agent, online } = fakeAgent({ rewardClip: 10, gamma: 0 }, [0, 0, 0], [0, 0, 0]);
    agent.act([0, 0]);
    agent.observe({ observation: [0, 0], action: 0, reward: -2000, nextObservation: [0, 0], terminated: false });
    expect(online.trained[0]?.targets[0]).toBe(-10);
  });

  it('subtracts the reward offset before clipping', () => {
    const { agent, online } = fakeAgent({ rewardClip: 10, rewardOffset: 4.5, gamma: 0 }, [0, 0, 0], [0, 0, 0]);
    agent.act([0, 0]);
    agent.observe({ observation: [0, 0], action: 0, reward: 5.4, nextObservation: [0, 0], terminated: false });
    expect(online.trained[0]?.targets[0]).toBeCloseTo(0.9, 5);
    agent.observe({ observation: [0, 0], action: 0, reward: 14, nextObservation: [0, 0], terminated: true });
    expect(online.trained[1]?.targets).toSatisfy((t: number[]) => Math.abs((t[0] as number) - 0.9) < 1e-5 || (t[0] as number) === 9.5);
  });

  it('waits for the warm-up before the first gradient update', () => {
    const { agent, online } = fakeAgent({ warmupSteps: 5 }, [0, 0, 0], [0, 0, 0]);
    const losses: (number | null)[] = [];
    for (let i = 0; i < 6; i++) {
      agent.act([0, 0]);
      losses.push(agent.observe({ observation: [0, 0], action: 0, reward: 0, nextObservation: [0, 0], terminated: false }));
    }
    expect(losses.slice(0, 4)).toEqual([null, null, null, null]);
    expect(losses[4]).toBe(0.5);
    expect(online.trained).toHaveLength(2);
  });

  it('moves the target a fraction τ toward the online weights after every update (cadence 1)', () => {
    const { agent, online, target } = fakeAgent({ targetTau: 0.25, targetUpdate: 1 }, [0, 0, 0], [0, 0, 0]);
    online.weights = [new Float32Array([4, 8]), new Float32Array([-4])];
    agent.act([0, 0]);
    agent.observe({ observation: [0, 0], action: 0, reward: 0, nextObservation: [0, 0], terminated: false });
    expect(Array.from(target.weights[0] as Float32Array)).toEqual([1, 2]);
    agent.observe({ observation: [0, 0], action: 0, reward: 0, nextObservation: [0, 0], terminated: false });
    // 1 + 0.25 * (4 - 1) = 1.75
    expect(target.weights[0]?.[0]).toBeCloseTo(1.75, 6);
  });

  it('hard-copies the target every N updates when τ = 1', () => {
    const { agent, online, target } = fakeAgent({ targetTau: 1, targetUpdate: 3 }, [0, 0, 0], [0, 0, 0]);
    online.weights = [new Float32Array([4, 8]), new Float32Array([-4])];
    for (let i = 0; i < 3; i++) {
      agent.act([0, 0]);
      agent.observe({ observation: [0, 0], action: 0, reward: 0, nextObservation: [0, 0], terminated: false });
      expect(Array.from(target.weights[0] as Float32Array)).toEqual(i < 2 ? [0, 0] : [4, 8]);
    }
  });

  it('decays ε once per episode down to its floor', () => {
    const { agent } = fakeAgent({ epsilonStart: 0.8, epsilonDecay: 0.5, epsilonEnd: 0.15 }, [0, 0, 0], [0, 0, 0]);
    const seen = [agent.epsilon];
    for (let i = 0; i < 3; i++) {
      agent.endEpisode();
      seen.push(agent.epsilon);
    }
    expect(seen).toEqual([0.8, 0.4, 0.2, 0.15]);
  });

  it('breaks greedy ties toward the largest delta and Double-DQN ties toward the first index', () => {
    expect(argmax([1, 3, 3], 0, 3, 'last')).toBe(2);
    expect(argmax([1, 3, 3], 0, 3, 'first')).toBe(1);
    expect(argmax([9, 9, 0, 1, 2, 2], 3, 3, 'first')).toBe(1);
  });
});

describe('DqnAgent on TensorFlow.js', () => {
  beforeAll(async () => {
    await initTf('auto', { quiet: true });
  });

  async function run(seed: number, episodes: number) {
    const env = new SetPointEnv();
    const agent = new DqnAgent({
      params: base,
      observationSize: 9,
      actionSpace: env.actionSpace,
      seed,
      createQ: (s, seeds) => TfjsQFunction.create(s, seeds),
    });
    const actions: number[] = [];
    const losses: number[] = [];
    await trainDqn(
      env,
      agent,
      Array.from({ length: episodes }, (_, i) => 1000 + i),
      {
        onStep: (e) => {
          actions.push(e.action);
          if (e.loss !== null) losses.push(e.loss);
        },
      },
    );
    return { agent, env, actions, losses };
  }

  it('gives identical first 100 actions and losses for the same seed', async () => {
    const a = await run(7, 20);
    const b = await run(7, 20);
    expect(a.actions.length).toBeGreaterThanOrEqual(100);
    expect(a.losses.length).toBeGreaterThanOrEqual(100);
    expect(b.actions.slice(0, 100)).toEqual(a.actions.slice(0, 100));
    expect(b.losses.slice(0, 100)).toEqual(a.losses.slice(0, 100));
    const c = await run(8, 20);
    expect(c.actions.slice(0, 100)).not.toEqual(a.actions.slice(0, 100));
    [a, b, c].forEach((r) => r.agent.dispose());
  });

  it('keeps the number of live tensors flat while it trains', async () => {
    const env = new SetPointEnv();
    const agent = new DqnAgent({
      params: { ...base, warmupSteps: 32 },
      observationSize: 9,
      actionSpace: env.actionSpace,
      seed: 4,
      createQ: (s, seeds) => TfjsQFunction.create(s, seeds),
    });
    await trainDqn(env, agent, [1, 2, 3, 4, 5]);
    const before = tf.memory().numTensors;
    await trainDqn(
      env,
      agent,
      Array.from({ length: 30 }, (_, i) => 10 + i),
    );
    expect(agent.updates).toBeGreaterThan(300);
    expect(tf.memory().numTensors).toBe(before);
    agent.dispose();
  });

  it('learns to walk to the set-point and stop there', async () => {
    const { agent, env } = await run(3, 120);
    const policy = greedyPolicy(agent);
    let reached = 0;
    for (let s = 0; s < 10; s++) {
      let { observation } = await env.reset({ seed: 50_000 + s });
      for (let t = 0; t < 20; t++) {
        const r = await env.step(policy.act(observation, { maxDelta: 1 } as PolicyContext));
        observation = r.observation;
        if (r.terminated) {
          reached++;
          break;
        }
      }
    }
    expect(reached).toBeGreaterThanOrEqual(9);
    agent.dispose();
  }, 120_000);
});
