/**
 * The policies `autofarm autoscale` can run: every agent the CLI can build (policies.ts: the
 * shipped models, every baseline in @autofarm/baselines' registry — so a baseline added there,
 * e.g. `reserve` or `predictive`, is available here with no change) except those that read the
 * future, which no live farm can give.
 */
import { UsageError, type Config, type Policy } from '@autofarm/core';
import { baselineName } from '@autofarm/baselines';
import { AGENT_NAMES, resolvePolicies, type PolicySources } from '../policies.js';

/** Need the workload's schedule or the realized future (oracle, hindsight), or a recording of one episode (replay). */
export const NOT_DEPLOYABLE: readonly string[] = ['oracle', 'hindsight', 'replay'];

export const LIVE_POLICY_NAMES: readonly string[] = AGENT_NAMES.filter((name) => !NOT_DEPLOYABLE.includes(name));

const key = (name: string) => name.toLowerCase().replace(/[\s_-]/g, '');

/** Build `name` for a live farm; `flag` names the option in messages (--policy, --fallback). Throws UsageError / ModelFileError. */
export async function resolveLivePolicy(flag: string, name: string, config: Config, sources: PolicySources): Promise<Policy> {
  const k = key(name);
  const known = k === 'sarsa' || k === 'agent' || k === 'dqn' || k === 'dqnagent' || baselineName(name) !== null;
  if (!known) throw new UsageError(`${flag}: unknown policy "${name}"; valid names: ${LIVE_POLICY_NAMES.join(', ')}`);
  if (NOT_DEPLOYABLE.includes(baselineName(name) ?? ''))
    throw new UsageError(
      `${flag}: "${name}" reads the future or replays one episode and cannot run on a live farm; ` +
        `valid names: ${LIVE_POLICY_NAMES.join(', ')}`,
    );
  if ((k === 'sarsa' || k === 'agent') && !sources.model)
    throw new UsageError(`${flag} ${name} needs --model FILE (a model from train-sarsa)`);
  if ((k === 'dqn' || k === 'dqnagent') && !sources.dqnModel)
    throw new UsageError(`${flag} ${name} needs --dqn-model DIR (a model directory from train-dqn)`);
  const factories = await resolvePolicies([name], config, sources);
  const policy = [...factories.values()][0]!();
  if (policy.clairvoyant || policy.hindsight) throw new UsageError(`${flag}: "${name}" reads the future and cannot run on a live farm`);
  return policy;
}
