"""Throughput through the bridge: env steps per second, Python <-> `autofarm serve-env`.

    python -m autofarm_gym.bench [--steps N] [--repeats 3] [--out .bench/python-bridge.json]
    pnpm bench python-bridge          # the same, through the repo's bench runner

Measures, on the shipped configuration (sim backend) with a policy that costs nothing (it cycles
+1, 0, -1, 0 workers so the actuator path runs):
  - single:      one env made with gym.make (the wrappers a user gets), steps/s;
  - single_raw:  one FarmEnv without gym.make's wrappers, steps/s;
  - vector2:     gymnasium.vector.AsyncVectorEnv of 2, env steps/s summed over both;
  - farm_vector2: FarmVectorEnv of 2 (gym.make_vec's default here: one Python process writes to
                 both servers, then reads both answers), env steps/s summed over both.
Each figure is the median of `repeats` timed runs after one untimed warm-up. Only real steps are
counted: resets (the vector env's autoreset steps included) take time but add nothing. Prints
one JSON object as the last line of its output and writes it to --out.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import gymnasium as gym
import numpy as np

from .env import DEFAULT_CONFIG, FarmEnv
from .server import REPO_ROOT

PATTERN = (2, 1, 0, 1)  # action indices: +1, 0, -1, 0 workers


def _single(env, steps: int) -> float:
    done, seed, i = 0, 0, 0
    start = time.perf_counter()
    env.reset(seed=seed)
    while done < steps:
        _, _, terminated, truncated, _ = env.step(PATTERN[i & 3])
        i += 1
        done += 1
        if terminated or truncated:
            seed += 1
            env.reset(seed=seed)
    return done / (time.perf_counter() - start)


def _vector(envs, steps: int) -> float:
    n = envs.num_envs
    actions = [np.full(n, a, dtype=np.int64) for a in PATTERN]
    done, i = 0, 0
    start = time.perf_counter()
    envs.reset(seed=list(range(n)))
    resetting = np.zeros(n, dtype=bool)
    while done < steps:
        _, _, terminated, truncated, _ = envs.step(actions[i & 3])
        i += 1
        # Next-step autoreset: a sub-env that ended last step was reset by this one, not stepped.
        done += n - int(resetting.sum())
        resetting = terminated | truncated
    return done / (time.perf_counter() - start)


def _median_of(repeats: int, run) -> tuple:
    run()  # warm-up: JIT in node, imports and caches in Python
    rates = [run() for _ in range(repeats)]
    return statistics.median(rates), rates


def run(steps: int = 20_000, repeats: int = 3, config: str | None = None) -> dict:
    config = config or str(DEFAULT_CONFIG)
    make = lambda: gym.make("autofarm/Farm-v0", config=config)  # noqa: E731

    env = make()
    single, single_runs = _median_of(repeats, lambda: _single(env, steps))
    env.close()

    raw = FarmEnv(config=config)
    single_raw, raw_runs = _median_of(repeats, lambda: _single(raw, steps))
    raw.close()

    envs = gym.vector.AsyncVectorEnv([make, make])
    vector2, vector_runs = _median_of(repeats, lambda: _vector(envs, steps))
    envs.close()

    farm = gym.make_vec("autofarm/Farm-v0", num_envs=2, config=config)
    farm2, farm_runs = _median_of(repeats, lambda: _vector(farm, steps))
    farm.close()

    return {
        "bench": "python-bridge",
        "single_steps_per_s": round(single),
        "single_raw_steps_per_s": round(single_raw),
        "vector2_steps_per_s": round(vector2),
        "vector2_over_single": round(vector2 / single, 2),
        "farm_vector2_steps_per_s": round(farm2),
        "farm_vector2_over_single": round(farm2 / single, 2),
        "single_repeats": [round(r) for r in single_runs],
        "single_raw_repeats": [round(r) for r in raw_runs],
        "vector2_repeats": [round(r) for r in vector_runs],
        "farm_vector2_repeats": [round(r) for r in farm_runs],
        "steps_per_repeat": steps,
        "statistic": f"median of {repeats} after 1 warm-up",
        "cpus": os.cpu_count(),
        # The machine's load when the bench ended: other work competing for the cores skews it.
        "loadavg_1min": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "gymnasium": gym.__version__,
        "config": config,
    }


def main() -> None:
    import autofarm_gym  # noqa: F401  (registers autofarm/Farm-v0)

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=20_000, help="env steps per timed repeat")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--config", default=None)
    parser.add_argument("--out", default=str(REPO_ROOT / ".bench" / "python-bridge.json"), help="JSON file to write ('' for none)")
    args = parser.parse_args()
    result = run(args.steps, args.repeats, args.config)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
