"""autofarm_gym: the autofarm serverless farm as a Gymnasium environment.

    import gymnasium as gym
    import autofarm_gym  # registers autofarm/Farm-v0

    env = gym.make("autofarm/Farm-v0", max_steps=40)
    envs = gym.make_vec("autofarm/Farm-v0", num_envs=2)   # FarmVectorEnv: servers stepped in parallel

The env drives `autofarm serve-env` (the TypeScript env) in a subprocess; see env.py and
server.py for the spaces, the seeding and how the CLI is found (AUTOFARM_CLI).
"""

from gymnasium.envs.registration import register, registry

from .env import FarmEnv, server_args
from .vector import FarmVectorEnv
from .server import PROTOCOL_VERSION, BridgeError, ServerExited, ServerProcess, cli_command

ENV_ID = "autofarm/Farm-v0"

if ENV_ID not in registry:
    register(
        id=ENV_ID,
        entry_point="autofarm_gym.env:FarmEnv",
        vector_entry_point="autofarm_gym.vector:FarmVectorEnv",
        nondeterministic=False,
    )

__all__ = [
    "ENV_ID",
    "FarmEnv",
    "FarmVectorEnv",
    "BridgeError",
    "ServerExited",
    "ServerProcess",
    "PROTOCOL_VERSION",
    "cli_command",
    "server_args",
]
