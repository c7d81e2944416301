"""autofarm/Farm-v0 as a Gymnasium env: API conformance, spaces, seeding, equality with the TS env."""

import json
import subprocess
import warnings

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import autofarm_gym
from autofarm_gym import BridgeError, FarmEnv

from conftest import REPO, SHIPPED_CONFIG


@pytest.fixture
def env():
    e = gym.make("autofarm/Farm-v0", config=SHIPPED_CONFIG)
    yield e
    e.close()


def test_check_env_passes_without_warnings(env):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_env(env.unwrapped)


def test_spaces_match_the_typescript_box_and_delta_space(env):
    box = env.observation_space
    assert box.shape == (9,) and box.dtype == np.float64
    assert list(box.low) == [0, 0, 0, 0, 1, 0, 0, 0, 0]
    # input_q up to the number of phases, output_q up to the episode's planned tasks, workers up to max_workers.
    assert list(box.high) == [4, 800, 10, 1140, 32, 150, 160, 12, 1]
    assert env.unwrapped.observation_names[0] == "input_q" and env.unwrapped.observation_names[8] == "qos_rate"
    assert env.action_space == gym.spaces.Discrete(3)
    assert [env.unwrapped.delta(a) for a in range(3)] == [-1, 0, 1]


def test_action_indices_map_to_worker_deltas(env):
    obs, _ = env.reset(seed=3)
    assert obs[4] == 12
    obs, _, _, _, info = env.step(2)
    assert obs[4] == 13 and info["appliedDelta"] == 1
    obs, _, _, _, info = env.step(0)
    assert obs[4] == 12 and info["appliedDelta"] == -1
    obs, _, _, _, info = env.step(1)
    assert obs[4] == 12 and info["appliedDelta"] == 0


def test_float32_observations_on_request():
    e = FarmEnv(config=SHIPPED_CONFIG, dtype=np.float32)
    try:
        obs, _ = e.reset(seed=1)
        assert obs.dtype == np.float32 and e.observation_space.dtype == np.float32
        assert obs in e.observation_space
    finally:
        e.close()


def test_reset_options_set_the_initial_worker_count(env):
    obs, info = env.reset(seed=1, options={"initial_workers": 5})
    assert obs[4] == 5 and info["workers"] == 5
    with pytest.raises(ValueError):
        env.reset(seed=1, options={"workers": 5})


def test_reset_without_seed_is_deterministic_after_a_seeded_reset(env):
    def episode_start():
        env.reset(seed=21)
        obs, _ = env.reset()
        return [env.step(2)[0] for _ in range(5)], obs

    a, b = episode_start(), episode_start()
    np.testing.assert_array_equal(np.array(a[0]), np.array(b[0]))
    np.testing.assert_array_equal(a[1], b[1])


def run_ts(seed, actions, overrides):
    spec = {"config": SHIPPED_CONFIG, "overrides": overrides, "seed": seed, "actions": actions}
    out = subprocess.run(
        ["node", str(REPO / "python" / "tests" / "ts_trajectory.mjs"), json.dumps(spec)],
        check=True, capture_output=True, text=True, timeout=60,
    )
    return json.loads(out.stdout)


def test_same_seed_and_actions_give_the_typescript_trajectory_exactly():
    # 4 s steps so the 240 s workload is still running at step 40: the episode is truncated at
    # 40 rather than terminated early, and all 40 steps are compared.
    overrides = {"episode.max_steps": 40, "episode.step_duration": 4, "episode.observation_window": 4}
    rng = np.random.default_rng(2024)
    actions = [int(a) for a in rng.integers(0, 3, size=40)]
    deltas = [a - 1 for a in actions]
    ts = run_ts(77, deltas, overrides)
    assert len(ts["rewards"]) == 40 and ts["truncated"][-1] is True

    env = FarmEnv(config=SHIPPED_CONFIG, max_steps=40, step_duration=4)
    try:
        obs, _ = env.reset(seed=77)
        observations, rewards, truncated = [obs], [], []
        for a in actions:
            obs, reward, term, trunc, _ = env.step(a)
            observations.append(obs)
            rewards.append(reward)
            truncated.append(trunc)
    finally:
        env.close()
    # Exact equality, not closeness: the doubles cross the bridge unchanged.
    assert [list(o) for o in observations] == ts["observations"]
    assert rewards == ts["rewards"]
    assert truncated == ts["truncated"]
    assert len(set(a for a in actions)) == 3


def test_a_bad_action_raises_and_the_env_goes_on(env):
    env.reset(seed=1)
    with pytest.raises(ValueError):
        env.unwrapped.step(3)
    with pytest.raises(ValueError):
        env.unwrapped.step(-1)
    obs, *_ = env.step(1)
    assert obs.shape == (9,)


def test_step_before_reset_is_a_bridge_error_and_the_server_survives():
    e = FarmEnv(config=SHIPPED_CONFIG)
    try:
        with pytest.raises(BridgeError, match="before reset"):
            e.step(1)
        obs, _ = e.reset(seed=2)
        assert obs.shape == (9,)
    finally:
        e.close()


def test_registered_under_the_autofarm_namespace():
    assert autofarm_gym.ENV_ID in gym.registry
    assert gym.registry["autofarm/Farm-v0"].entry_point == "autofarm_gym.env:FarmEnv"
