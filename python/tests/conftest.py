"""Shared fixtures: the repository root, the shipped configuration, process helpers."""

import os
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHIPPED_CONFIG = str(REPO / "configuration.yml")
CLI = REPO / "packages" / "cli" / "dist" / "bin.js"


@pytest.fixture(scope="session", autouse=True)
def built_cli():
    if not CLI.is_file():
        pytest.fail(f"{CLI} is missing: run `pnpm build` before the Python tests")
    return CLI


def process_alive(pid: int) -> bool:
    """True while `pid` runs (a zombie, exited but not yet reaped, counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def wait_gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process_alive(pid):
            return True
        time.sleep(0.05)
    return False


def node_children_of(pid: int) -> list:
    """Pids of processes whose parent is `pid`."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[1]) == pid:
                out.append(int(entry))
    return out
