"""The server subprocess never outlives its env: close(), garbage collection, interpreter exit, SIGKILL."""

import gc
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from autofarm_gym import FarmEnv, ServerExited

from conftest import SHIPPED_CONFIG, node_children_of, process_alive, wait_gone


def test_close_stops_the_server_and_may_be_called_twice():
    env = FarmEnv(config=SHIPPED_CONFIG)
    pid = env.server_pid
    env.reset(seed=1)
    assert process_alive(pid)
    env.close()
    assert wait_gone(pid)
    env.close()
    with pytest.raises(ServerExited):
        env.step(1)


def test_garbage_collection_stops_the_server():
    env = FarmEnv(config=SHIPPED_CONFIG)
    pid = env.server_pid
    del env
    gc.collect()
    assert wait_gone(pid)


def python(script: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)], stdout=subprocess.PIPE, text=True)


def test_interpreter_exit_without_close_stops_the_server():
    proc = python(f"""
        import autofarm_gym
        env = autofarm_gym.FarmEnv(config={SHIPPED_CONFIG!r})
        env.reset(seed=1)
        print(env.server_pid, flush=True)
        keep = env  # still referenced at exit: only the atexit hook can stop it
    """)
    pid = int(proc.stdout.readline())
    assert proc.wait(timeout=30) == 0
    assert wait_gone(pid)


def test_sigkill_of_python_leaves_no_node_process():
    proc = python(f"""
        import sys, time, autofarm_gym
        env = autofarm_gym.FarmEnv(config={SHIPPED_CONFIG!r})
        env.reset(seed=1)
        env.step(1)
        print(env.server_pid, flush=True)
        time.sleep(60)
    """)
    pid = int(proc.stdout.readline())
    assert pid in node_children_of(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    # Nothing could run in Python: the server notices its stdin close and exits by itself.
    assert wait_gone(pid), f"node server {pid} outlived the killed Python process"


def test_sigkill_of_python_with_an_async_vector_env_leaves_no_node_process():
    proc = python(f"""
        import time, gymnasium as gym, autofarm_gym
        if __name__ == "__main__":
            envs = gym.vector.AsyncVectorEnv([lambda: gym.make("autofarm/Farm-v0", config={SHIPPED_CONFIG!r})] * 2)
            envs.reset(seed=[1, 2])
            print(*envs.get_attr("server_pid"), flush=True)
            time.sleep(60)
    """)
    pids = [int(p) for p in proc.stdout.readline().split()]
    assert len(pids) == 2 and all(process_alive(p) for p in pids)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    for pid in pids:
        assert wait_gone(pid, timeout=20), f"node server {pid} outlived the killed Python process"


def test_a_bad_configuration_is_reported_with_the_servers_message():
    with pytest.raises(ServerExited, match="nonexistent.yml"):
        FarmEnv(config="/nonexistent.yml")


def test_a_server_that_speaks_another_protocol_version_is_refused(tmp_path):
    fake = tmp_path / "fake-autofarm"
    fake.write_text('#!/bin/sh\necho \'{"type":"hello","protocol":99}\'\ncat >/dev/null\n')
    fake.chmod(0o755)
    with pytest.raises(Exception, match="protocol 99"):
        FarmEnv(cli=str(fake))


def test_autofarm_cli_names_the_cli_to_run(tmp_path, monkeypatch):
    fake = tmp_path / "fake-autofarm"
    fake.write_text('#!/bin/sh\necho "$@" >&2\necho \'{"type":"hello","protocol":77}\'\n')
    fake.chmod(0o755)
    monkeypatch.setenv("AUTOFARM_CLI", str(fake))
    with pytest.raises(Exception, match="protocol 77"):
        FarmEnv()
