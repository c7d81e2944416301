"""RLlib PPO on the farm, many env runners: training that outgrows one machine runs on a Ray cluster.

    pip install "ray[rllib]" torch
    python python/examples/rllib_ppo.py --env-runners 4 --envs-per-runner 2 --iterations 50
    # on a cluster: start Ray (ray start --head / --address=...), set RAY_ADDRESS, run the same

Every env runner process makes its own FarmEnv, which starts its own `autofarm serve-env`: each
machine of the cluster needs node and a built autofarm checkout, with AUTOFARM_CLI pointing at
its packages/cli/dist/bin.js when autofarm_gym is not installed from that checkout (it is
passed to the runners through runtime_env below). The learner needs no node at all.
"""

import argparse
import os

import ray
from ray.rllib.algorithms.ppo import PPOConfig
from ray.tune.registry import register_env


def make_farm(env_config):
    from autofarm_gym import FarmEnv  # imported in the runner process

    return FarmEnv(**env_config)


def build_config(args) -> PPOConfig:
    env_config = {"dtype": "float32", **({"config": args.config} if args.config else {})}
    return (
        PPOConfig()
        .environment("autofarm-farm", env_config=env_config)
        .env_runners(num_env_runners=args.env_runners, num_envs_per_env_runner=args.envs_per_runner, rollout_fragment_length="auto")
        .training(gamma=0.99, lr=3e-4, train_batch_size_per_learner=4000, minibatch_size=256, num_epochs=10)
        .learners(num_learners=args.learners)
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--env-runners", type=int, default=4)
    parser.add_argument("--envs-per-runner", type=int, default=2)
    parser.add_argument("--learners", type=int, default=0, help="0: learn in the driver; >0: remote learner processes")
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--config", default=None, help="configuration.yml, a path valid on every node")
    args = parser.parse_args()

    runtime_env = {"env_vars": {k: os.environ[k] for k in ("AUTOFARM_CLI", "AUTOFARM_NODE") if k in os.environ}}
    ray.init(runtime_env=runtime_env)
    register_env("autofarm-farm", make_farm)
    algo = build_config(args).build_algo()
    for i in range(args.iterations):
        result = algo.train()
        runners = result.get("env_runners", {})
        steps = result.get("num_env_steps_sampled_lifetime")
        print(f"iteration {i + 1}: episode return mean {runners.get('episode_return_mean')}, env steps {steps}")
    print("checkpoint:", algo.save("rllib_farm").checkpoint.path)
    algo.stop()
    ray.shutdown()


if __name__ == "__main__":
    main()
