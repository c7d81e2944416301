import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig, type Config } from '@autofarm/core';
import { checkEnv } from './check-env.js';
import { createEnv } from './create-env.js';
import { FarmEnv } from './farm-env.js';
import { computeReward } from './reward.js';
import { SimBackend } from './sim/sim-backend.js';

const shipped = loadConfig(new URL('../../../configuration.yml', import.meta.url).pathname);

function tiny(over: Record<string, unknown> = {}): Config {
  return parseConfig({
    workload: { base_rate: 240, phases: [{ name: 'flat', pattern: 'steady', multiplier: 1, duration: 40 }] },
    episode: { max_steps: 12 },
    scaling: { initial_workers: 4 },
    ...over,
  });
}

async function runAll(env: FarmEnv, seed: number, action: (step: number) => number) {
  const out = [];
  await env.reset({ seed });
  for (let i = 0; ; i++) {
    const r = await env.step(action(i));
    out.push(r);
    if (r.terminated || r.truncated) return out;
  }
}

describe('FarmEnv on the sim backend', () => {
  it('passes checkEnv, including same seed -> same trajectory', async () => {
    const env = await createEnv(shipped);
    const report = await checkEnv(env, { seed: 5, steps: 45 });
    expect(report.deterministicChecked).toBe(true);
    expect(report.steps).toBeGreaterThan(25);
  });

  it('gives byte-identical episodes for one seed and different ones for another', async () => {
    const env = await createEnv(shipped);
    const policy = (i: number) => [1, 0, -1, 0, 1][i % 5] as number;
    const a = JSON.stringify(await runAll(env, 11, policy));
    const b = JSON.stringify(await runAll(env, 11, policy));
    const c = JSON.stringify(await runAll(env, 12, policy));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('terminates once every planned task is collected, with the completion bonus', async () => {
    const env = new FarmEnv(tiny(), new SimBackend(tiny()));
    const steps = await runAll(env, 3, () => 0);
    const last = steps.at(-1)!;
    expect(last.terminated).toBe(true);
    expect(last.truncated).toBe(false);
    expect(last.info.metrics.collectedTotal).toBe(last.info.metrics.tasksPlanned);
    expect(last.info.unfinishedTasks).toBe(0);
    expect(last.info.episodeFinalQos).toBeCloseTo(last.info.metrics.metTotal / last.info.metrics.tasksPlanned, 12);
    expect(last.reward).toBeCloseTo(computeReward(last.observation, 0, tiny().reward, 4) + tiny().reward.completion_bonus, 9);
  });

  it('truncates at max_steps and counts tasks not collected as misses', async () => {
    // 8 tasks/s for 40 s on one worker: a backlog that cannot drain in 5 steps.
    const config = tiny({ episode: { max_steps: 5 }, scaling: { initial_workers: 1, min_workers: 1 } });
    const env = new FarmEnv(config, new SimBackend(config));
    const steps = await runAll(env, 3, () => 0);
    const last = steps.at(-1)!;
    expect(steps).toHaveLength(5);
    expect(last.truncated).toBe(true);
    const m = last.info.metrics;
    expect(m.enqueuedTotal).toBe(m.tasksPlanned);
    expect(last.info.unfinishedTasks).toBe(m.enqueuedTotal - m.collectedTotal);
    expect(last.info.episodeFinalQos).toBeCloseTo(m.metTotal / m.enqueuedTotal, 12);
    expect(last.info.episodeFinalQos!).toBeLessThan(m.metTotal / m.collectedTotal);
  });

  it('scores a workload longer than the episode over the tasks generated in it, not the planned ones', async () => {
    // 400 s of 4 tasks/s, truncated after 5 steps of 8 s: ~160 of ~1600 planned tasks arrive.
    const config = tiny({
      workload: { base_rate: 240, phases: [{ name: 'long', pattern: 'steady', multiplier: 1, duration: 400 }] },
      episode: { max_steps: 5 },
      scaling: { initial_workers: 16 },
    });
    const env = new FarmEnv(config, new SimBackend(config));
    const steps = await runAll(env, 3, () => 0);
    const last = steps.at(-1)!;
    const m = last.info.metrics;
    expect(last.truncated).toBe(true);
    expect(m.enqueuedTotal).toBeLessThan(m.tasksPlanned / 2);
    expect(last.info.unfinishedTasks).toBe(m.enqueuedTotal - m.collectedTotal);
    expect(last.info.unfinishedTasks).toBeLessThanOrEqual(m.enqueuedTotal);
    expect(last.info.episodeFinalQos).toBeCloseTo(m.metTotal / m.enqueuedTotal, 12);
    expect(last.info.episodeFinalQos!).toBeGreaterThan(0.5);
  });

  it('clamps scaling to [min_workers, max_workers] and reports the applied delta', async () => {
    const config = tiny({ scaling: { initial_workers: 2, min_workers: 2, max_workers: 3 } });
    const env = new FarmEnv(config, new SimBackend(config));
    await env.reset({ seed: 1 });
    const down = await env.step(-1);
    expect([down.info.requestedDelta, down.info.appliedDelta, down.info.workers]).toEqual([-1, 0, 2]);
    const up = await env.step(1);
    expect([up.info.appliedDelta, up.info.workers]).toEqual([1, 3]);
    const again = await env.step(1);
    expect([again.info.appliedDelta, again.info.workers]).toEqual([0, 3]);
    expect(again.info.scalingActions).toBe(1);
  });

  it('refuses non-integer actions and steps before reset, and clamps any integer delta to the range', async () => {
    const config = tiny();
    const env = new FarmEnv(config, new SimBackend(config));
    await expect(env.step(0)).rejects.toThrow(/before reset/);
    await env.reset({ seed: 1 });
    await expect(env.step(1.5)).rejects.toThrow(RangeError);
    expect((await env.step(100)).info.workers).toBe(config.scaling.max_workers);
    expect((await env.step(-100)).info.workers).toBe(config.scaling.min_workers);
  });

  it('decides again at pauses inside a step, and weighs the count by time', async () => {
    const config = tiny({ scaling: { initial_workers: 4 } });
    const env = new FarmEnv(config, new SimBackend(config));
    await env.reset({ seed: 3 });
    const seen: number[] = [];
    // 8 s step: +2 at 0 s, then +4 at 2 s and -6 at 6 s -> 6 workers for 2 s, 10 for 4 s, 4 for 2 s.
    const deltas = [4, -6];
    const r = await env.step(2, {
      at: [2, 6],
      decide: (_obs, info) => {
        seen.push(info.time);
        return deltas.shift() ?? 0;
      },
    });
    expect(seen).toEqual([2, 6]);
    expect(r.info.meanWorkers).toBeCloseTo((6 * 2 + 10 * 4 + 4 * 2) / 8, 12);
    expect(r.info.appliedDelta).toBe(0);
    expect(r.info.time).toBe(8);
  });

  it('widens the action space with scaling.max_delta', async () => {
    const config = tiny({ scaling: { initial_workers: 4, max_delta: 3 } });
    const env = new FarmEnv(config, new SimBackend(config));
    expect(env.actionSpace.n).toBe(7);
    await env.reset({ seed: 1 });
    const r = await env.step(3);
    expect(r.info.workers).toBe(7);
  });

  it('starts the first observation like the original: 3 phases queued, initial workers, empty-window defaults', async () => {
    const env = await createEnv(shipped);
    const { observation } = await env.reset({ seed: 42 });
    expect(observation).toEqual([3, 0, 0, 0, 12, 1.5, 1.5, 0, 1]);
  });
});
