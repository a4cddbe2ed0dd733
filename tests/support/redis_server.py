"""A real ``redis-server`` that a test starts, kills and restarts (outage tests).

The server listens on a free loopback port with persistence off, so a restart comes back empty,
as a Redis that lost its memory does. ``redis_settings`` gives the cache and channel-layer
settings that ``config/settings/core.py`` builds for a ``REDIS_URL``, pointed at that server.
"""

import os
import runpy
import shutil
import signal
import socket
import subprocess
import time

import pytest

# The settings module that builds CACHES and CHANNEL_LAYERS from REDIS_URL.
SETTINGS_MODULE = "config.settings.core"


def redis_server_binary() -> str | None:
    return os.environ.get("REDIS_SERVER") or shutil.which("redis-server")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """One ``redis-server`` child process on 127.0.0.1:<port>."""

    def __init__(self, binary: str, port: int | None = None):
        self.binary = binary
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 (a fixed argument list, no shell)
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}.")
            if self._answers_ping():
                return
            time.sleep(0.05)
        self.kill()
        raise RuntimeError("redis-server did not answer PING within 10 s.")

    def freeze(self) -> None:
        """Stop the server answering (SIGSTOP): connections open, replies never come."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        """Stop the server abruptly (SIGKILL), as a crash or a lost host would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        self.kill()
        self.start()

    def _answers_ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def redis_settings(url: str) -> dict:
    """``CACHES``, ``CHANNEL_LAYERS`` and ``SESSION_ENGINE`` as the settings build them for
    ``REDIS_URL=url``."""
    saved = os.environ.get("REDIS_URL")
    os.environ["REDIS_URL"] = url
    try:
        # Run as a module of its package (its relative imports), afresh with this REDIS_URL.
        namespace = runpy.run_module(SETTINGS_MODULE, run_name=f"{SETTINGS_MODULE}_for_redis")
    finally:
        if saved is None:
            del os.environ["REDIS_URL"]
        else:
            os.environ["REDIS_URL"] = saved
    return {name: namespace[name] for name in ("CACHES", "CHANNEL_LAYERS", "SESSION_ENGINE")}


@pytest.fixture
def redis_server(settings):
    """A running redis-server that CACHES and CHANNEL_LAYERS point at; killed at the end."""
    binary = redis_server_binary()
    if binary is None:
        pytest.skip("redis-server is not installed (set REDIS_SERVER to its path).")
    server = RedisServer(binary)
    server.start()
    try:
        config = redis_settings(server.url)
        settings.CACHES = config["CACHES"]
        settings.CHANNEL_LAYERS = config["CHANNEL_LAYERS"]
        settings.SESSION_ENGINE = config["SESSION_ENGINE"]  # sessions through the cache too
        yield server
    finally:
        server.kill()
