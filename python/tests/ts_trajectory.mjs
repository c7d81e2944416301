// Dumps one episode of the TypeScript FarmEnv (sim backend, no bridge) as JSON on stdout, for
// the Python tests to compare with the same episode through serve-env.
// usage: node ts_trajectory.mjs '{"config": FILE, "overrides": {"episode.max_steps": 40}, "seed": 7, "actions": [1, 0, -1]}'
import { loadConfig } from '../../packages/core/dist/index.js';
import { createEnv } from '../../packages/env/dist/index.js';

const spec = JSON.parse(process.argv[2]);
const overrides = Object.entries(spec.overrides ?? {}).map(([path, value]) => ({ path, value }));
const env = await createEnv(loadConfig(spec.config, overrides), { backend: 'sim' });
const reset = await env.reset({ seed: spec.seed });
const out = { observations: [reset.observation], rewards: [], terminated: [], truncated: [] };
for (const action of spec.actions) {
  const r = await env.step(action);
  out.observations.push(r.observation);
  out.rewards.push(r.reward);
  out.terminated.push(r.terminated);
  out.truncated.push(r.truncated);
  if (r.terminated || r.truncated) break;
}
await env.close();
process.stdout.write(`${JSON.stringify(out)}\n`);
