"""DQN on the farm in one file, CleanRL style (after cleanrl/dqn.py), with PyTorch.

    pip install torch                         # CPU wheels are enough
    python python/examples/cleanrl_dqn.py --total-timesteps 50000

Reads top to bottom: arguments, Q-network, replay buffer, epsilon schedule, the loop. The env
is gym.make_vec("autofarm/Farm-v0", num_envs=N): FarmVectorEnv, N servers stepped in parallel,
next-step autoreset (the step after an episode ends only resets, so that transition is not
stored). Writes dqn_farm.pt and dqn_policy.json (the greedy policy's episodes for
`autofarm compare-policies --agents replay`, commands printed at the end).
"""

import argparse
import random
import time

import gymnasium as gym
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import autofarm_gym  # noqa: F401  (registers autofarm/Farm-v0)
from autofarm_gym import compare


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--config", default=None)
    p.add_argument("--num-envs", type=int, default=2)
    p.add_argument("--total-timesteps", type=int, default=50_000)
    p.add_argument("--learning-rate", type=float, default=2.5e-4)
    p.add_argument("--buffer-size", type=int, default=50_000)
    p.add_argument("--gamma", type=float, default=0.99)
    p.add_argument("--tau", type=float, default=1.0)
    p.add_argument("--target-network-frequency", type=int, default=500)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--start-e", type=float, default=1.0)
    p.add_argument("--end-e", type=float, default=0.05)
    p.add_argument("--exploration-fraction", type=float, default=0.5)
    p.add_argument("--learning-starts", type=int, default=2_000)
    p.add_argument("--train-frequency", type=int, default=4)
    p.add_argument("--eval-episodes", type=int, default=3)
    return p.parse_args()


class QNetwork(nn.Module):
    def __init__(self, obs_space, n_actions):
        super().__init__()
        # Fixed input scaling from the Box bounds: components span 0..1 up to 0..1140.
        self.register_buffer("scale", torch.tensor(np.maximum(obs_space.high, 1.0), dtype=torch.float32))
        self.network = nn.Sequential(nn.Linear(obs_space.shape[0], 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, n_actions))

    def forward(self, x):
        return self.network(x / self.scale)


class ReplayBuffer:
    def __init__(self, size, obs_dim):
        self.obs = np.zeros((size, obs_dim), np.float32)
        self.next_obs = np.zeros((size, obs_dim), np.float32)
        self.actions = np.zeros(size, np.int64)
        self.rewards = np.zeros(size, np.float32)
        self.terminated = np.zeros(size, np.float32)
        self.size, self.pos, self.full = size, 0, False

    def add(self, obs, next_obs, action, reward, terminated):
        i = self.pos
        self.obs[i], self.next_obs[i], self.actions[i], self.rewards[i], self.terminated[i] = obs, next_obs, action, reward, terminated
        self.pos = (i + 1) % self.size
        self.full = self.full or self.pos == 0

    def sample(self, n, rng):
        idx = rng.integers(0, self.size if self.full else self.pos, size=n)
        t = lambda a: torch.as_tensor(a[idx])  # noqa: E731
        return t(self.obs), t(self.next_obs), t(self.actions), t(self.rewards), t(self.terminated)


def linear_schedule(start_e, end_e, duration, t):
    return max(end_e, start_e + (end_e - start_e) * t / duration)


def main():
    args = parse_args()
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    envs = gym.make_vec("autofarm/Farm-v0", num_envs=args.num_envs, config=args.config)
    obs_space, n_actions = envs.single_observation_space, envs.single_action_space.n
    q_network = QNetwork(obs_space, n_actions)
    optimizer = torch.optim.Adam(q_network.parameters(), lr=args.learning_rate)
    target_network = QNetwork(obs_space, n_actions)
    target_network.load_state_dict(q_network.state_dict())
    rb = ReplayBuffer(args.buffer_size, obs_space.shape[0])

    obs, _ = envs.reset(seed=args.seed)
    resetting = np.zeros(args.num_envs, dtype=bool)
    episode_returns, returns = [], np.zeros(args.num_envs)
    start = time.time()
    for global_step in range(0, args.total_timesteps, args.num_envs):
        epsilon = linear_schedule(args.start_e, args.end_e, args.exploration_fraction * args.total_timesteps, global_step)
        if rng.random() < epsilon:
            actions = rng.integers(0, n_actions, size=args.num_envs)
        else:
            with torch.no_grad():
                actions = q_network(torch.as_tensor(obs, dtype=torch.float32)).argmax(dim=1).numpy()
        next_obs, rewards, terminations, truncations, _ = envs.step(actions)
        for i in range(args.num_envs):
            if resetting[i]:  # this step only reset env i: no transition
                continue
            rb.add(obs[i], next_obs[i], actions[i], rewards[i], terminations[i])
            returns[i] += rewards[i]
            if terminations[i] or truncations[i]:
                episode_returns.append(returns[i])
                returns[i] = 0.0
        resetting = terminations | truncations
        obs = next_obs

        if global_step > args.learning_starts and global_step % args.train_frequency < args.num_envs:
            b_obs, b_next, b_act, b_rew, b_term = rb.sample(args.batch_size, rng)
            with torch.no_grad():
                target_max = target_network(b_next).max(dim=1).values
                td_target = b_rew + args.gamma * target_max * (1 - b_term)
            old_val = q_network(b_obs).gather(1, b_act.unsqueeze(1)).squeeze(1)
            loss = F.mse_loss(td_target, old_val)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if global_step % args.target_network_frequency < args.num_envs:
                for tp, qp in zip(target_network.parameters(), q_network.parameters()):
                    tp.data.copy_(args.tau * qp.data + (1.0 - args.tau) * tp.data)
            if global_step % 5_000 < args.num_envs:
                recent = np.mean(episode_returns[-10:]) if episode_returns else float("nan")
                sps = int(global_step / (time.time() - start))
                print(f"step {global_step}: loss {loss.item():.3f}, epsilon {epsilon:.2f}, return(last 10) {recent:.1f}, SPS {sps}")
    envs.close()
    torch.save(q_network.state_dict(), "dqn_farm.pt")

    def act(o, _info):
        with torch.no_grad():
            return int(q_network(torch.as_tensor(o, dtype=torch.float32).unsqueeze(0)).argmax())

    result = compare.evaluate(act, seed=42, episodes=args.eval_episodes, agent="CleanRL-DQN", out="dqn_policy.json", config=args.config)
    for record in result["agents"]["CleanRL-DQN"]["records"]:
        print(f"seed {record['seed']}: total reward {record['total_reward']:.1f}, final QoS {record['final_qos']}")
    for command in compare.commands("dqn_policy.json", result):
        print(" ".join(command))


if __name__ == "__main__":
    main()
