"""The compare helper: a Python policy's episodes, replayed by `autofarm compare-policies`, are the same episodes."""

import json
import subprocess

from autofarm_gym import compare

from conftest import CLI, SHIPPED_CONFIG


def threshold_policy(obs, info):
    """Add a worker while the worker queue is long, remove one when it is empty (indices 2 / 0)."""
    if obs[1] > 20:
        return 2
    return 0 if obs[1] == 0 and obs[4] > 8 else 1


def test_evaluates_on_the_held_out_seeds_compare_policies_uses():
    assert compare.evaluation_seeds(42, 3) == [1_000_042, 1_000_043, 1_000_044]


def test_compare_policies_replays_the_python_policys_episode_exactly(tmp_path):
    results = tmp_path / "python_policy.json"
    result = compare.evaluate(threshold_policy, seed=7, episodes=2, agent="Threshold", out=str(results), config=SHIPPED_CONFIG)
    records = json.loads(results.read_text())["agents"]["Threshold"]["records"]
    assert [r["seed"] for r in records] == [1_000_007, 1_000_008]
    assert set(records[1]["actions"]) == {-1, 0, 1}

    commands = compare.commands(str(results), result, baselines=["static"], cli=["node", str(CLI)])
    assert len(commands) == 2
    assert commands[1][-2:] == ["--config", SHIPPED_CONFIG]
    run_dir = tmp_path / "compare"
    subprocess.run([*commands[1], "--out", str(run_dir)], check=True, capture_output=True, timeout=120)
    aggregated = json.loads((run_dir / "aggregated_results.json").read_text())
    replayed = aggregated["agents"]["Replay"]["records"][0]
    assert replayed["seed"] == records[1]["seed"]
    assert replayed["actions"] == records[1]["actions"]
    assert replayed["rewards"] == records[1]["rewards"]
    assert "Static" in aggregated["agents"]
