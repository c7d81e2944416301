"""autofarm/Farm-v0 under gymnasium.vector.AsyncVectorEnv: each sub-env is its own server."""

import gymnasium as gym
import numpy as np

import autofarm_gym  # noqa: F401  (registers the env)

from conftest import SHIPPED_CONFIG


def make():
    return gym.make("autofarm/Farm-v0", config=SHIPPED_CONFIG)


def single_trajectory(seed, actions):
    env = make()
    try:
        obs, _ = env.reset(seed=seed)
        out = [obs]
        for a in actions:
            obs, *_ = env.step(a)
            out.append(obs)
        return np.array(out)
    finally:
        env.close()


def test_async_vector_env_of_two_steps_each_sub_env_as_a_single_env_would():
    actions = [[2, 0], [1, 2], [0, 0], [2, 1], [1, 1]]
    envs = gym.vector.AsyncVectorEnv([make, make])
    try:
        obs, _ = envs.reset(seed=[5, 6])
        seen = [obs]
        for a in actions:
            obs, reward, term, trunc, info = envs.step(np.array(a))
            assert reward.shape == (2,) and not term.any() and not trunc.any()
            seen.append(obs)
        pids = envs.get_attr("server_pid")
    finally:
        envs.close()
    seen = np.array(seen)
    np.testing.assert_array_equal(seen[:, 0], single_trajectory(5, [a[0] for a in actions]))
    np.testing.assert_array_equal(seen[:, 1], single_trajectory(6, [a[1] for a in actions]))
    assert len(set(pids)) == 2


def test_make_vec_gives_the_parallel_farm_vector_env_with_the_same_trajectories():
    actions = [[2, 0], [1, 2], [0, 0], [2, 1], [1, 1]]
    envs = gym.make_vec("autofarm/Farm-v0", num_envs=2, config=SHIPPED_CONFIG)
    try:
        assert isinstance(envs, autofarm_gym.FarmVectorEnv)
        obs, _ = envs.reset(seed=[5, 6])
        seen = [obs]
        for a in actions:
            obs, *_ = envs.step(np.array(a))
            seen.append(obs)
    finally:
        envs.close()
    seen = np.array(seen)
    np.testing.assert_array_equal(seen[:, 0], single_trajectory(5, [a[0] for a in actions]))
    np.testing.assert_array_equal(seen[:, 1], single_trajectory(6, [a[1] for a in actions]))


def test_farm_vector_env_autoresets_on_the_next_step_and_keeps_real_valued_infos_real():
    envs = autofarm_gym.FarmVectorEnv(num_envs=2, config=SHIPPED_CONFIG, max_steps=3)
    try:
        envs.reset(seed=1)
        for _ in range(2):
            _, _, term, trunc, info = envs.step(np.array([1, 1]))
            assert not trunc.any() and "episodeFinalQos" not in info
        _, _, term, trunc, info = envs.step(np.array([1, 1]))
        assert trunc.all()
        assert info["episodeFinalQos"].dtype == np.float64 and info["_episodeFinalQos"].all()
        assert info["episodeQos"].dtype == np.float64
        obs, reward, term, trunc, info = envs.step(np.array([2, 2]))  # the autoreset step
        assert (info["step"] == 0).all() and (reward == 0).all() and (obs[:, 4] == 12).all()
    finally:
        envs.close()
