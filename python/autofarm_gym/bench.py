"""Throughput through the bridge: env steps per second, Python <-> `autofarm serve-env`.

    python -m autofarm_gym.bench [--steps N] [--repeats 3] [--out .bench/python-bridge.json]
    pnpm bench python-bridge          # the same, through the repo's bench runner

Measures, on the shipped configuration (sim backend) with a policy that costs nothing (it cycles
+1, 0, -1, 0 workers so the actuator path runs):
  - single:      one env made with gym.make (the wrappers a user gets), steps/s;
  - single_raw:  one FarmEnv without gym.make's wrappers, steps/s;
  - vector2:     gymnasium.vector.AsyncVectorEnv of 2, env steps/s summed over both;
  - noop_async_vector2: AsyncVectorEnv of 2 envs that do nothing but return an observation and
                 an info of the same shape: what AsyncVectorEnv itself costs here, the ceiling
                 for vector2 whatever the bridge does;
  - farm_vector2: FarmVectorEnv of 2 (gym.make_vec's default here: one Python process writes to
                 both servers, then reads both answers), env steps/s summed over both.
Each figure is the median of `repeats` timed runs after one untimed warm-up. Only real steps are
counted: resets (the vector env's autoreset steps included) take time but add nothing. Beside
each rate, the CPU time per step of the Python processes and of the node servers says where the
time goes, independently of other load on the machine. Prints one JSON object as the last line
of its output and writes it to --out.
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


class NoopEnv(gym.Env):
    """Answers at once with a farm-shaped observation and info; ends an episode every 31 steps."""

    def __init__(self):
        self.observation_space = gym.spaces.Box(0, 2000, (9,), np.float64)
        self.action_space = gym.spaces.Discrete(3)
        self.t = 0

    def _info(self):
        keys = ("step", "requestedDelta", "appliedDelta", "workers", "queueLength", "scalingActions",
                "qosViolations", "processedTasks", "enqueuedTotal", "unfinishedTasks")
        info = dict.fromkeys(keys, self.t)
        info.update(dict.fromkeys(("time", "qosRate", "episodeQos", "totalReward"), float(self.t)))
        return info

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.t = 0
        return np.zeros(9), self._info()

    def step(self, action):
        self.t += 1
        return np.full(9, float(self.t)), 1.0, self.t >= 31, False, self._info()


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
    return done / (time.perf_counter() - start), done


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
    return done / (time.perf_counter() - start), done


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pids) -> float:
    """User + system CPU seconds used so far by the processes `pids` (Linux /proc)."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / _TICK


def _measure(repeats: int, run, python_pids, node_pids) -> dict:
    """Median rate of `repeats` timed runs after one warm-up, and CPU microseconds per step on
    the Python side (main process + any vector workers) and the node side (the servers):
    unlike the rate, those do not depend on what else the machine is running."""
    run()  # warm-up: JIT in node, imports and caches in Python
    rates, steps = [], 0
    py0, node0 = _cpu_seconds(python_pids), _cpu_seconds(node_pids)
    for _ in range(repeats):
        rate, n = run()
        rates.append(rate)
        steps += n
    py, node = _cpu_seconds(python_pids) - py0, _cpu_seconds(node_pids) - node0
    return {
        "steps_per_s": round(statistics.median(rates)),
        "repeats": [round(r) for r in rates],
        "python_cpu_us_per_step": round(py / steps * 1e6, 1),
        "node_cpu_us_per_step": round(node / steps * 1e6, 1),
    }


def run(steps: int = 20_000, repeats: int = 3, config: str | None = None) -> dict:
    config = config or str(DEFAULT_CONFIG)
    make = lambda: gym.make("autofarm/Farm-v0", config=config)  # noqa: E731
    me = os.getpid()
    load_start = os.getloadavg()[0]
    results = {}

    env = make()
    results["single"] = _measure(repeats, lambda: _single(env, steps), [me], [env.unwrapped.server_pid])
    env.close()

    raw = FarmEnv(config=config)
    results["single_raw"] = _measure(repeats, lambda: _single(raw, steps), [me], [raw.server_pid])
    raw.close()

    envs = gym.vector.AsyncVectorEnv([make, make])
    workers = [me] + [p.pid for p in envs.processes]
    results["vector2"] = _measure(repeats, lambda: _vector(envs, steps), workers, list(envs.get_attr("server_pid")))
    envs.close()

    noop = gym.vector.AsyncVectorEnv([NoopEnv, NoopEnv])
    results["noop_async_vector2"] = _measure(repeats, lambda: _vector(noop, steps), [me] + [p.pid for p in noop.processes], [])
    noop.close()

    farm = gym.make_vec("autofarm/Farm-v0", num_envs=2, config=config)
    results["farm_vector2"] = _measure(repeats, lambda: _vector(farm, steps), [me], [e.server_pid for e in farm.envs])
    farm.close()

    single = results["single"]["steps_per_s"]
    return {
        "bench": "python-bridge",
        **{f"{name}_steps_per_s": r["steps_per_s"] for name, r in results.items()},
        "vector2_over_single": round(results["vector2"]["steps_per_s"] / single, 2),
        "farm_vector2_over_single": round(results["farm_vector2"]["steps_per_s"] / single, 2),
        "detail": results,
        "steps_per_repeat": steps,
        "statistic": f"median of {repeats} after 1 warm-up",
        "cpus": os.cpu_count(),
        # The machine's load around the bench: other work competing for the 2 cores skews the
        # rates (not the CPU per step).
        "loadavg_1min": [round(load_start, 2), round(os.getloadavg()[0], 2)],
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
