"""The `autofarm serve-env` subprocess and its JSON-lines protocol (version 1).

One request line, one answer line, strictly in order; see packages/env/src/serve.ts for the
protocol. This module knows nothing about Gymnasium: `FarmEnv` (env.py) builds on it.

Finding the CLI, first match wins:
  1. the `cli` argument, else the environment variable AUTOFARM_CLI: a path to the CLI's
     `bin.js` (run with node) or to an executable such as an installed `autofarm`;
  2. `packages/cli/dist/bin.js` of the autofarm checkout this package sits in
     (python/autofarm_gym/ -> ../../packages/cli/dist/bin.js; run `pnpm build` first);
  3. `autofarm` on PATH.
`node` is AUTOFARM_NODE if set, else `node` on PATH.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import weakref
from pathlib import Path
from typing import Any, Optional, Sequence

PROTOCOL_VERSION = 1

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
BUNDLED_CLI = REPO_ROOT / "packages" / "cli" / "dist" / "bin.js"


class BridgeError(RuntimeError):
    """The server answered a request with an error line (bad action, step before reset, ...)."""

    def __init__(self, message: str, *, op: Optional[str] = None, error: str = "Error"):
        super().__init__(message)
        self.op = op
        self.error = error


class ServerExited(BridgeError):
    """The server process ended (or never started) while a request was waiting."""


def cli_command(cli: Optional[str] = None) -> list:
    """The argv prefix that runs the autofarm CLI (see the module doc for the search order)."""
    path = cli or os.environ.get("AUTOFARM_CLI")
    node = os.environ.get("AUTOFARM_NODE") or "node"
    if path:
        return [node, path] if path.endswith((".js", ".mjs")) else [path]
    if BUNDLED_CLI.is_file():
        return [node, str(BUNDLED_CLI)]
    on_path = shutil.which("autofarm")
    if on_path:
        return [on_path]
    raise FileNotFoundError(
        f"cannot find the autofarm CLI: set AUTOFARM_CLI to its bin.js (or an `autofarm` executable), "
        f"or build the checkout this package is in (`pnpm build` makes {BUNDLED_CLI})"
    )


def _stop(proc: subprocess.Popen, timeout: float = 5.0) -> None:
    """Close the server's stdin (it then closes its env and exits); kill it if it lingers.

    A module-level function holding only `proc`, so weakref.finalize can call it at garbage
    collection and at interpreter exit without keeping the env alive.
    """
    if proc.poll() is None:
        try:
            proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for stream in (proc.stdin, proc.stdout):
        try:
            stream.close()
        except OSError:
            pass


class ServerProcess:
    """`autofarm serve-env ARGS` as a subprocess; `request` sends one line and returns the answer.

    stderr is inherited (the server's logs reach the user's terminal); stdout carries the protocol.
    The process is stopped by `close()`, when this object is garbage-collected, and at
    interpreter exit. If Python itself is killed, the server sees its stdin close and exits.
    """

    def __init__(self, args: Sequence[str] = (), *, cli: Optional[str] = None, cwd: Optional[str] = None):
        command = cli_command(cli) + ["serve-env", *args]
        try:
            self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=cwd)
        except OSError as error:
            raise ServerExited(f"cannot start {' '.join(command)}: {error}") from error
        self._finalizer = weakref.finalize(self, _stop, self.proc)
        self._in = self.proc.stdin.fileno()
        self._readline = self.proc.stdout.readline
        self.hello = self.read("start")
        if self.hello.get("type") != "hello":
            self.close()
            raise BridgeError(f"expected a hello line from the server, got {self.hello!r}")
        if self.hello.get("protocol") != PROTOCOL_VERSION:
            self.close()
            raise BridgeError(
                f"the server speaks protocol {self.hello.get('protocol')!r}; this autofarm_gym speaks "
                f"{PROTOCOL_VERSION}: rebuild the CLI or update the Python package so they match"
            )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def read(self, op: str = "request") -> dict:
        """The next answer line, parsed; an error line raises BridgeError (ServerExited if fatal)."""
        line = self._readline()
        if not line:
            code = self.proc.wait()
            raise ServerExited(f"autofarm serve-env exited (code {code}) during {op}; its stderr says why", op=op)
        message = json.loads(line)
        if message.get("type") == "error":
            error = ServerExited if message.get("fatal") else BridgeError
            raise error(f"autofarm serve-env: {message.get('message')}", op=message.get("op"), error=message.get("error", "Error"))
        return message

    def write(self, line: bytes, op: str = "request") -> None:
        """Send one request line (bytes ending in a newline) without waiting for the answer."""
        try:
            # One write of < 100 bytes to a pipe is atomic: no buffering layer needed.
            os.write(self._in, line)
        except OSError as error:
            code = self.proc.poll()
            raise ServerExited(f"autofarm serve-env is gone (exit code {code}) before {op}", op=op) from error

    def request(self, line: bytes, op: str = "request") -> dict:
        """Send one request line and return the parsed answer."""
        self.write(line, op)
        return self.read(op)

    def send(self, message: Any, op: str = "request") -> dict:
        return self.request((json.dumps(message, separators=(",", ":")) + "\n").encode(), op)

    def close(self) -> None:
        # -1, not the old number: the OS may hand that number to another file, which a late
        # write must not reach. Writing to -1 fails (EBADF) and reports the server gone.
        self._in = -1
        self._finalizer()

    @property
    def closed(self) -> bool:
        return not self._finalizer.alive
