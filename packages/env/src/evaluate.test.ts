import { describe, expect, it } from 'vitest';
import { parseConfig, type Config, type Env, type Observation, type Policy, type PolicyContext } from '@autofarm/core';
import { FarmEnv } from './farm-env.js';
import { evaluate, runEpisode } from './evaluate.js';
import { SimBackend } from './sim/sim-backend.js';

function config(over: Record<string, unknown> = {}): Config {
  return parseConfig({
    workload: { base_rate: 240, phases: [{ name: 'flat', pattern: 'steady', multiplier: 1, duration: 48 }] },
    episode: { max_steps: 8 },
    scaling: { initial_workers: 4 },
    ...over,
  });
}

/** Records every context it is given and answers from a list (then 0). */
class Probe implements Policy {
  readonly name = 'Probe';
  readonly seen: PolicyContext[] = [];
  constructor(
    readonly cadence: number | undefined,
    private readonly answers: number[] = [],
  ) {}
  reset(): void {
    this.seen.length = 0;
  }
  act(_observation: Observation, ctx: PolicyContext): number {
    this.seen.push(ctx);
    return this.answers.shift() ?? 0;
  }
}

async function run(policy: Policy, cfg: Config, seed = 5) {
  const env = new FarmEnv(cfg, new SimBackend(cfg));
  try {
    return await runEpisode(env, policy, { seed, config: cfg });
  } finally {
    await env.close();
  }
}

describe('runEpisode', () => {
  it('under native actuation decides at the policy cadence: a 2 s tick decides 4 times per 8 s step', async () => {
    const p = new Probe(2);
    const record = await run(p, config());
    expect(record.summary.decisions).toBe(4 * record.steps);
    expect(p.seen.slice(0, 6).map((c) => c.time)).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('places a 15 s cadence on the nominal clock across 8 s steps: 0, 15, 30, 45', async () => {
    const p = new Probe(15);
    await run(p, config());
    expect(p.seen.map((c) => c.time).slice(0, 4)).toEqual([0, 15, 30, 45]);
  });

  it('gives the whole range under native and ±max_delta per step under step actuation', async () => {
    const native = new Probe(2, [20]);
    const a = await run(native, config());
    expect(native.seen[0]?.maxDelta).toBe(31);
    expect(a.worker_counts[0]).toBe(24);

    const stepped = new Probe(2, [20]);
    const b = await run(stepped, config({ actuation: 'step' }));
    expect(stepped.seen[0]?.maxDelta).toBe(1);
    expect(b.summary.decisions).toBe(b.steps); // the cadence is ignored: one decision per step
    expect(b.worker_counts[0]).toBe(5);
  });

  it('hands platform signals to the policy and weighs mean workers by time', async () => {
    // +8 at 0 s, -8 at 4 s of the first step: 12 workers for 4 s, 4 for the rest of the episode.
    const p = new Probe(4, [8, -8]);
    const record = await run(p, config());
    const first = p.seen[0] as PolicyContext;
    expect(first.signals).toEqual({ busyWorkers: 0, readyWorkers: 4, queueLength: 0, enqueuedTotal: 0 });
    // Step 1 averages (12 × 4 + 4 × 4) / 8 = 8 workers, every other step 4.
    expect(record.summary.mean_workers).toBeCloseTo((8 + 4 * (record.steps - 1)) / record.steps, 12);
    expect(record.actions[0]).toBe(0); // the net delta asked for during step 1
  });

  it('starts no episode once its signal is aborted and returns the finished ones (Ctrl-C keeps them)', async () => {
    const c = config();
    const stop = new AbortController();
    const records = await evaluate(new Probe(3, []), () => new FarmEnv(c, new SimBackend(c)), [1, 2, 3, 4], {
      config: c,
      signal: stop.signal,
      onEpisode: (_r, i) => {
        if (i === 1) stop.abort();
      },
    });
    expect(records.map((r) => r.seed)).toEqual([1, 2]);
  });

  it('lets a signal that arrives through the event loop (a real Ctrl-C) in between episodes', async () => {
    const c = config();
    const stop = new AbortController();
    // Queued before the run: a loop that never yielded would finish all 20 seeds before it fires.
    setImmediate(() => stop.abort());
    const seeds = Array.from({ length: 20 }, (_, i) => i + 1);
    const records = await evaluate(new Probe(3, []), () => new FarmEnv(c, new SimBackend(c)), seeds, { config: c, signal: stop.signal });
    expect(records.length).toBeLessThan(20);
  });

  it('is deterministic: same seed, same policy, same record', async () => {
    const a = await run(new Probe(3, [3, -1, 2, 5, -4]), config(), 11);
    const b = await run(new Probe(3, [3, -1, 2, 5, -4]), config(), 11);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('gives forecasts of the realized future only to a policy that declares hindsight, copied at the decision', async () => {
    const times: number[] = [];
    const lates: number[] = [];
    const hindsight: Policy = {
      name: 'Peek',
      hindsight: true,
      reset: () => undefined,
      act: (_o, ctx) => {
        const f = ctx.hindsight!.fork();
        times.push(f.time);
        f.scale(1);
        f.advance(40);
        lates.push(f.late());
        return 0;
      },
    };
    const probe = new Probe(undefined);
    const cfg = config();
    await runEpisode(new FarmEnv(cfg, new SimBackend(cfg)), probe, { seed: 3, config: cfg });
    expect(probe.seen.every((c) => c.hindsight === undefined)).toBe(true);
    const peeked = await runEpisode(new FarmEnv(cfg, new SimBackend(cfg)), hindsight, { seed: 3, config: cfg });
    expect(times.slice(0, 3)).toEqual([0, 8, 16]);
    // Driving the copies with 1 worker did not touch the episode: it is the no-op policy's.
    const plain = await runEpisode(new FarmEnv(cfg, new SimBackend(cfg)), new Probe(undefined), { seed: 3, config: cfg });
    expect(peeked.summary).toEqual(plain.summary);
    expect(Math.max(...lates)).toBeGreaterThan(0);
  });

  it('refuses hindsight on an env that cannot fork its farm (a real backend)', async () => {
    const cfg = config();
    const env = new FarmEnv(cfg, new SimBackend(cfg));
    const noFork = {
      ...env,
      bounds: env.bounds,
      reset: env.reset.bind(env),
      step: env.step.bind(env),
      close: env.close.bind(env),
      forecast: undefined,
    } as unknown as Env;
    const policy: Policy = { name: 'Hindsight', hindsight: true, reset: () => undefined, act: () => 0 };
    await expect(runEpisode(noFork, policy, { seed: 1, config: cfg })).rejects.toThrow(
      /Hindsight plans on the realized future with the simulator: it runs only on --backend sim/,
    );
  });
});
