"""FarmEnv: the autofarm farm as a gymnasium.Env (registered as ``autofarm/Farm-v0``).

Each env runs its own ``autofarm serve-env`` process; every reset and step is one JSON line
each way. The TypeScript env does all the work, so the same seed and the same actions give the
same observations and rewards as the TypeScript env (exactly, with the default float64
observations: JSON carries each double in its shortest round-trip form).

- observation_space: Box of the 9 components (input_q, worker_q, result_q, output_q, workers,
  avg_time, max_time, arrival_rate, qos_rate) with the TypeScript BoxSpace's bounds. Those
  bounds are advisory there (never clipped), so a crowded episode can report e.g. worker_q
  above 800; the values are passed on unchanged.
- action_space: Discrete(2k+1); index i means a worker delta of i - k (k = scaling.max_delta,
  read from the server), so with k = 1: 0 removes a worker, 1 holds, 2 adds one.
- reset(seed=s) sends s to the server; reset() without a seed draws one from self.np_random,
  so a sequence of resets is deterministic after the first seeded one.
- info: the TypeScript StepInfo without its per-task arrays (step, time, workers,
  appliedDelta, episodeQos, ...), camelCase as there; `episodeFinalQos` only on an episode's
  last step (TypeScript's null elsewhere is left out, the way vector envs expect).
"""

from __future__ import annotations

import json
from typing import Any, Optional, Sequence

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from .server import REPO_ROOT, ServerProcess

# The checkout's configuration.yml, when this package sits in an autofarm checkout.
DEFAULT_CONFIG = REPO_ROOT / "configuration.yml"

# Keyword -> serve-env flag (the CLI's episode flags; None leaves the configuration's value).
_FLAGS = {
    "config": "--config",
    "backend": "--backend",
    "max_steps": "--max-steps",
    "step_duration": "--step-duration",
    "initial_workers": "--initial-workers",
    "arrival_process": "--arrival-process",
    "time_scale": "--time-scale",
}


# Info fields that are real numbers: JSON writes 1.0 as 1, so they are made floats here, or a
# vector env that met an int first would store the field in an int array and truncate 0.95 to 0.
_FLOAT_INFO = ("time", "qosRate", "episodeQos", "totalReward")


def _info(info: dict) -> dict:
    for key in _FLOAT_INFO:
        info[key] = float(info[key])
    final = info.pop("episodeFinalQos", None)
    if final is not None:  # present on an episode's last step only (vector envs mask it)
        info["episodeFinalQos"] = float(final)
    return info


def server_args(extra_args: Sequence[str] = (), **flags: Any) -> list:
    """serve-env flags from keywords (config="x.yml", max_steps=40, ...) plus raw `extra_args`."""
    args = []
    for key, value in flags.items():
        if key not in _FLAGS:
            raise TypeError(f"unknown autofarm env option {key!r}; known: {', '.join(_FLAGS)} (or pass extra_args)")
        if value is not None:
            args += [_FLAGS[key], str(value)]
    if flags.get("config") is None and DEFAULT_CONFIG.is_file():
        args += ["--config", str(DEFAULT_CONFIG)]
    return args + [str(a) for a in extra_args]


class FarmEnv(gym.Env):
    """The farm: scale a worker pool up and down as tasks arrive. See the module doc."""

    metadata = {"render_modes": []}

    def __init__(
        self,
        config: Optional[str] = None,
        backend: Optional[str] = None,
        max_steps: Optional[int] = None,
        step_duration: Optional[float] = None,
        initial_workers: Optional[int] = None,
        arrival_process: Optional[str] = None,
        time_scale: Optional[float] = None,
        extra_args: Sequence[str] = (),
        dtype: Any = np.float64,
        cli: Optional[str] = None,
        cwd: Optional[str] = None,
    ):
        """`config` defaults to the checkout's configuration.yml when this package sits in one
        (else the CLI's default, ./configuration.yml); the other keywords override single
        settings as the CLI flags of the same name do; `extra_args` are passed to serve-env as
        they are. `dtype` is the observation dtype (float64 is exact; float32 for frameworks
        that want it)."""
        args = server_args(
            extra_args,
            config=config,
            backend=backend,
            max_steps=max_steps,
            step_duration=step_duration,
            initial_workers=initial_workers,
            arrival_process=arrival_process,
            time_scale=time_scale,
        )
        self._server = ServerProcess(args, cli=cli, cwd=cwd)
        hello = self._server.hello
        self.hello = hello
        self._dtype = np.dtype(dtype)
        box = hello["observation_space"]
        self.observation_space = spaces.Box(
            low=np.asarray(box["low"], dtype=self._dtype),
            high=np.asarray(box["high"], dtype=self._dtype),
            dtype=self._dtype,
        )
        self.observation_names = tuple(box["names"])
        self.max_delta = int(hello["action_space"]["max_delta"])
        n = int(hello["action_space"]["n"])
        self.action_space = spaces.Discrete(n)
        # The 2k+1 possible step lines, built once: a step sends one of them as it is.
        self._step_lines = [b'{"op":"step","action":%d}\n' % (i - self.max_delta) for i in range(n)]
        self._write = self._server.write
        self._read = self._server.read

    @property
    def server_pid(self) -> int:
        return self._server.pid

    def delta(self, action: int) -> int:
        """The worker delta an action index stands for."""
        return int(action) - self.max_delta

    def reset(self, *, seed: Optional[int] = None, options: Optional[dict] = None):
        self.send_reset(seed=seed, options=options)
        return self.receive_reset()

    def step(self, action):
        self.send_step(action)
        return self.receive_step()

    # reset and step in two halves, so a vector env can send to every server before it waits
    # for the first answer (the servers then compute in parallel; see vector.py).

    def send_reset(self, *, seed: Optional[int] = None, options: Optional[dict] = None) -> None:
        super().reset(seed=seed)
        if seed is None:
            seed = int(self.np_random.integers(0, 2**31 - 1))
        request: dict = {"op": "reset", "seed": int(seed)}
        if options:
            workers = options.get("initial_workers", options.get("initialWorkers"))
            unknown = set(options) - {"initial_workers", "initialWorkers"}
            if unknown:
                raise ValueError(f"unknown reset option(s) {sorted(unknown)}; known: initial_workers")
            if workers is not None:
                request["options"] = {"initialWorkers": int(workers)}
        self._write((json.dumps(request, separators=(",", ":")) + "\n").encode(), "reset")

    def receive_reset(self):
        message = self._read("reset")
        return np.array(message["observation"], dtype=self._dtype), _info(message["info"])

    def send_step(self, action) -> None:
        index = int(action)
        if not 0 <= index < len(self._step_lines):
            raise ValueError(f"action {action!r} is not in {self.action_space}")
        self._write(self._step_lines[index], "step")

    def receive_step_message(self) -> dict:
        """The step answer as parsed JSON (observation as a list; info already normalised)."""
        m = self._read("step")
        _info(m["info"])
        return m

    def receive_step(self):
        m = self._read("step")
        return (
            np.array(m["observation"], dtype=self._dtype),
            float(m["reward"]),
            m["terminated"],
            m["truncated"],
            _info(m["info"]),
        )

    def close(self):
        self._server.close()
        super().close()
