"""The examples that need no training library run and print something (an example that exits 0 silently teaches nothing)."""

import subprocess
import sys

from conftest import REPO


def test_threshold_policy_example_plays_one_episode_and_prints_its_qos():
    done = subprocess.run(
        [sys.executable, str(REPO / "python" / "examples" / "threshold_policy.py"), "--seed", "3"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].split() == ["step", "time[s]", "queue", "workers", "action", "reward"]
    assert len(lines) >= 10
    assert lines[-1].startswith("episode (seed 3): QoS ")
