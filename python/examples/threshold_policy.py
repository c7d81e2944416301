"""A hand-written policy, no training library needed. Run it to see it play one episode:

    python python/examples/threshold_policy.py            # one episode, seed 42, per-step lines
    python python/examples/threshold_policy.py --seed 7   # another episode

or hand it to the compare helper, which writes episodes `autofarm compare-policies` replays:

    python -m autofarm_gym.compare --policy threshold_policy:act --episodes 3 --seed 42 --out threshold.json
    (run from python/examples, or put this directory on PYTHONPATH)

then run the printed `autofarm compare-policies --agents replay ...` commands.
"""

import argparse


def act(observation, info):
    """Add a worker while more than 20 tasks wait, drop one when none wait and more than 8 work."""
    worker_q, workers = observation[1], observation[4]
    if worker_q > 20:
        return 2  # +1
    if worker_q == 0 and workers > 8:
        return 0  # -1
    return 1  # hold


def main() -> None:
    import gymnasium as gym

    import autofarm_gym  # noqa: F401  (registers autofarm/Farm-v0)

    parser = argparse.ArgumentParser(description="play one episode with the threshold policy and print it")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    env = gym.make("autofarm/Farm-v0")
    try:
        obs, info = env.reset(seed=args.seed)
        print(f"{'step':>4} {'time[s]':>7} {'queue':>5} {'workers':>7} {'action':>6} {'reward':>7}")
        done = False
        while not done:
            action = act(obs, info)
            obs, reward, terminated, truncated, info = env.step(action)
            done = terminated or truncated
            print(f"{info['step']:>4} {info['time']:>7.0f} {obs[1]:>5.0f} {obs[4]:>7.0f} {action - 1:>+6d} {reward:>7.2f}")
        print(
            f"episode (seed {args.seed}): QoS {info['episodeFinalQos'] * 100:.2f} %, "
            f"total reward {info['totalReward']:.2f}, {info['step']} steps, "
            f"{'terminated' if terminated else 'truncated'}"
        )
    finally:
        env.close()


if __name__ == "__main__":
    main()
