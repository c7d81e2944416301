/**
 * checkEnv: the conformance suite every backend runs (cf. Gymnasium's env_checker). It checks
 * the spaces, the shapes and types of what reset/step return, that step refuses bad actions and
 * steps after the end, and — for deterministic backends — that the same seed and actions give
 * the same trajectory.
 */
import { createRng, type Env, type StepResult } from '@autofarm/core';

export interface CheckEnvOptions {
  seed?: number;
  /** Steps per checked episode (the episode may end earlier). */
  steps?: number;
}

export interface CheckEnvReport {
  steps: number;
  deterministicChecked: boolean;
}

function fail(message: string): never {
  throw new Error(`checkEnv: ${message}`);
}

function checkStep(env: Env, r: StepResult, where: string): void {
  if (!env.observationSpace.hasShape(r.observation))
    fail(`${where}: observation is not ${env.observationSpace.size} finite numbers: ${JSON.stringify(r.observation)}`);
  if (!Number.isFinite(r.reward)) fail(`${where}: reward is not finite (${r.reward})`);
  if (typeof r.terminated !== 'boolean' || typeof r.truncated !== 'boolean') fail(`${where}: terminated/truncated must be booleans`);
  if (r.terminated && r.truncated) fail(`${where}: an episode is either terminated or truncated, not both`);
  const w = r.observation[4] as number;
  const [lo, hi] = [env.observationSpace.low[4] as number, env.observationSpace.high[4] as number];
  if (w < lo || w > hi) fail(`${where}: workers ${w} outside [${lo}, ${hi}]`);
  if (!env.actionSpace.contains(r.info.appliedDelta) && Math.abs(r.info.appliedDelta) > env.bounds.maxDelta)
    fail(`${where}: applied delta ${r.info.appliedDelta} outside the action space`);
  const q = r.observation[8] as number;
  if (q < 0 || q > 1) fail(`${where}: qos_rate ${q} outside [0, 1]`);
}

async function rollout(env: Env, seed: number, steps: number): Promise<string[]> {
  const trace: string[] = [];
  const actions = createRng(seed).stream('check-env-actions');
  const { observation, info } = await env.reset({ seed });
  if (!env.observationSpace.hasShape(observation)) fail(`reset: observation is not ${env.observationSpace.size} finite numbers`);
  if (info.step !== 0) fail('reset: info.step must be 0');
  trace.push(JSON.stringify(observation));
  for (let i = 0; i < steps; i++) {
    const action = env.actionSpace.sample(actions);
    if (!env.actionSpace.contains(action)) fail(`actionSpace.sample returned ${action}, which it does not contain`);
    const r = await env.step(action);
    checkStep(env, r, `step ${i + 1}`);
    if (r.info.step !== i + 1) fail(`step ${i + 1}: info.step is ${r.info.step}`);
    trace.push(JSON.stringify([r.observation, r.reward, r.terminated, r.truncated]));
    if (r.terminated || r.truncated) {
      if (r.info.episodeFinalQos === null) fail(`step ${i + 1}: the ending step must report episodeFinalQos`);
      await expectRejects(() => env.step(0), 'step after the episode ended');
      break;
    }
  }
  return trace;
}

async function expectRejects(fn: () => Promise<unknown>, what: string): Promise<void> {
  try {
    await fn();
  } catch {
    return;
  }
  fail(`${what} must throw`);
}

export async function checkEnv(env: Env, options: CheckEnvOptions = {}): Promise<CheckEnvReport> {
  const seed = options.seed ?? 123;
  const steps = options.steps ?? 10;
  await env.reset({ seed });
  await expectRejects(() => env.step(0.5), 'a non-integer action');
  // Any integer delta is accepted; the actuator clamps the count to the env's range.
  const { minWorkers, maxWorkers } = env.bounds;
  const beyond = await env.step(maxWorkers - minWorkers + 5);
  if (beyond.info.workers !== maxWorkers)
    fail(`a delta beyond the range left ${beyond.info.workers} workers, expected the maximum ${maxWorkers}`);
  const first = await rollout(env, seed, steps);
  if (env.deterministic) {
    const second = await rollout(env, seed, steps);
    if (first.length !== second.length || first.some((x, i) => x !== second[i])) {
      const at = first.findIndex((x, i) => x !== second[i]);
      fail(`same seed, same actions gave a different trajectory (first difference at entry ${at})`);
    }
  }
  return { steps: first.length - 1, deterministicChecked: env.deterministic };
}
