"""Stable-Baselines3 PPO on the farm, then its greedy policy handed to `autofarm compare-policies`.

    pip install stable-baselines3            # brings torch; not needed by autofarm_gym itself
    python python/examples/sb3_ppo.py --timesteps 200000 --n-envs 4

Each of the --n-envs environments runs its own `autofarm serve-env` process (SubprocVecEnv puts
each in a worker process; on a 2-core machine --vec dummy is often as fast). Writes
ppo_farm.zip and ppo_policy.json, and prints the compare-policies commands that replay the
trained policy next to the reactive baselines on the same held-out seeds.
"""

import argparse

import gymnasium as gym
from stable_baselines3 import PPO
from stable_baselines3.common.env_util import make_vec_env
from stable_baselines3.common.vec_env import DummyVecEnv, SubprocVecEnv

import autofarm_gym  # noqa: F401  (registers autofarm/Farm-v0)
from autofarm_gym import compare


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--timesteps", type=int, default=200_000)
    parser.add_argument("--n-envs", type=int, default=4)
    parser.add_argument("--vec", choices=["subproc", "dummy"], default="subproc")
    parser.add_argument("--config", default=None, help="configuration.yml (default: the checkout's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--eval-episodes", type=int, default=3)
    args = parser.parse_args()

    env_kwargs = {"config": args.config, "dtype": "float32"}
    env = make_vec_env(
        "autofarm/Farm-v0",
        n_envs=args.n_envs,
        seed=args.seed,
        env_kwargs=env_kwargs,
        vec_env_cls=SubprocVecEnv if args.vec == "subproc" else DummyVecEnv,
    )
    # Observations span 0..1140 (tasks collected) next to 0..1 (QoS): PPO learns far better on
    # normalised inputs. Rewards are left as the farm defines them.
    from stable_baselines3.common.vec_env import VecNormalize

    env = VecNormalize(env, norm_obs=True, norm_reward=False)
    model = PPO("MlpPolicy", env, n_steps=256, batch_size=256, gamma=0.99, learning_rate=3e-4, seed=args.seed, verbose=1)
    model.learn(total_timesteps=args.timesteps)
    model.save("ppo_farm")
    env.training = False

    def act(obs, _info):
        action, _ = model.predict(env.normalize_obs(obs), deterministic=True)
        return int(action)

    result = compare.evaluate(act, seed=42, episodes=args.eval_episodes, agent="PPO", out="ppo_policy.json", config=args.config)
    for record in result["agents"]["PPO"]["records"]:
        print(f"seed {record['seed']}: total reward {record['total_reward']:.1f}, final QoS {record['final_qos']}")
    for command in compare.commands("ppo_policy.json", result):
        print(" ".join(command))
    env.close()


if __name__ == "__main__":
    gym.logger.min_level = 40
    main()
