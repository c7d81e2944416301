"""Evaluate a Python policy on the farm and hand its episodes to the TypeScript comparison.

Route: the policy runs here, through the bridge, on compare-policies' own held-out seeds
(seed + 1,000,000 + i). Its action lists are written as an aggregated_results-style file
({"agents": {NAME: {"records": [{"seed", "actions", ...}]}}}), which the `replay` baseline of
`autofarm compare-policies` reads (--replay-file/--replay-agent/--replay-episode). On the sim
backend the same seed and the same actions give the same episode, so the replay IS the Python
policy's episode, measured by the TypeScript side next to the baselines. `replay` plays one
action list per run, so each evaluated episode is one `compare-policies --episodes 1` run, with
--seed chosen so its one held-out seed is the episode's seed; `commands()` writes them out.
(On local/openfaas a replay is open-loop and only approximates the policy.)

    python -m autofarm_gym.compare --policy mypkg.mymodule:act --episodes 3 --seed 42 --out python_policy.json

`--policy MODULE:NAME` names a callable `act(observation, info) -> action index` (or an object
with such an `act` method, or a class to instantiate without arguments).
"""

from __future__ import annotations

import argparse
import importlib
import json
import shlex
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

from .env import _FLAGS, FarmEnv, server_args
from .server import cli_command

EVALUATION_SEED_OFFSET = 1_000_000  # packages/env/src/seeds.ts: evaluationSeeds(base, n)

Policy = Callable[[Any, dict], int]


def evaluation_seeds(base: int, episodes: int) -> list:
    """The seeds `autofarm compare-policies --seed base --episodes n` evaluates on."""
    return [base + EVALUATION_SEED_OFFSET + i for i in range(episodes)]


def run_episode(env: FarmEnv, policy: Policy, seed: int) -> dict:
    """One greedy episode; the record keeps the requested worker deltas (what `replay` plays)."""
    obs, info = env.reset(seed=seed)
    actions, rewards = [], []
    while True:
        index = int(policy(obs, info))
        obs, reward, terminated, truncated, info = env.step(index)
        actions.append(env.delta(index))
        rewards.append(reward)
        if terminated or truncated:
            break
    return {
        "seed": seed,
        "steps": len(actions),
        "actions": actions,
        "rewards": rewards,
        "total_reward": sum(rewards),
        "final_qos": info.get("episodeFinalQos"),
        "terminated": terminated,
        "truncated": truncated,
    }


def evaluate(
    policy: Policy,
    *,
    seed: int = 42,
    episodes: int = 1,
    agent: str = "python",
    out: Optional[str] = None,
    **env_kwargs: Any,
) -> dict:
    """Run `policy` on compare-policies' held-out seeds for base `seed`; write `out` if given.

    `env_kwargs` are FarmEnv's (config, max_steps, ...): use the settings the comparison will use.
    Returns the file's content: {"agents": {agent: {"records": [...]}}, ...}.
    """
    env = FarmEnv(**env_kwargs)
    try:
        records = [run_episode(env, policy, s) for s in evaluation_seeds(seed, episodes)]
    finally:
        env.close()
    result = {
        "command": "autofarm_gym.compare",
        "base_seed": seed,
        "seeds": [r["seed"] for r in records],
        # The serve-env flags the episodes ran with: commands() passes them to compare-policies.
        "flags": server_args(env_kwargs.get("extra_args", ()), **{k: v for k, v in env_kwargs.items() if k in _FLAGS}),
        "agents": {agent: {"records": records}},
    }
    if out:
        Path(out).write_text(json.dumps(result, indent=2) + "\n")
    return result


def commands(
    results_file: str,
    result: dict,
    *,
    baselines: Sequence[str] = ("reactiveaverage", "reactivemaximum"),
    extra_args: Sequence[str] = (),
    cli: Optional[Sequence[str]] = None,
) -> list:
    """One `compare-policies` argv per evaluated episode: the replayed Python policy next to
    `baselines`, on exactly that episode's seed, with the flags (config file, max steps, ...)
    the episodes ran with, then `extra_args`."""
    cli = list(cli) if cli is not None else cli_command()  # the CLI the env itself would run
    (agent, entry), = result["agents"].items()
    out = []
    for i, record in enumerate(entry["records"]):
        out.append([
            *cli, "compare-policies",
            "--agents", "replay", *baselines,
            "--replay-file", str(results_file), "--replay-agent", agent, "--replay-episode", str(i),
            "--episodes", "1", "--seed", str(record["seed"] - EVALUATION_SEED_OFFSET),
            *result.get("flags", []), *extra_args,
        ])
    return out


def _load_policy(spec: str) -> Policy:
    module, _, name = spec.partition(":")
    if not name:
        raise SystemExit(f"--policy: expected MODULE:NAME, got {spec!r}")
    target = getattr(importlib.import_module(module), name)
    if isinstance(target, type):
        target = target()
    return getattr(target, "act", target)


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(
        description="Evaluate a Python policy and write a file `autofarm compare-policies --agents replay` reads."
    )
    parser.add_argument("--policy", required=True, help="MODULE:NAME of act(observation, info) -> action index")
    parser.add_argument("--seed", type=int, default=42, help="compare-policies' base seed")
    parser.add_argument("--episodes", type=int, default=1)
    parser.add_argument("--agent", default="python", help="the agent name in the file")
    parser.add_argument("--out", default="python_policy.json")
    parser.add_argument("--config", default=None)
    parser.add_argument("--max-steps", type=int, default=None)
    args = parser.parse_args(argv)
    result = evaluate(
        _load_policy(args.policy),
        seed=args.seed,
        episodes=args.episodes,
        agent=args.agent,
        out=args.out,
        config=args.config,
        max_steps=args.max_steps,
    )
    for record in result["agents"][args.agent]["records"]:
        print(f"seed {record['seed']}: {record['steps']} steps, total reward {record['total_reward']:.2f}, final QoS {record['final_qos']}")
    print(f"wrote {args.out}; compare with the baselines (one run per episode):")
    for command in commands(args.out, result):
        print("  " + shlex.join(command))


if __name__ == "__main__":
    main()
