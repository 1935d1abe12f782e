"""A real ``corridor serve`` process for the tests that need one (concurrency, kills)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def corridor_server(store_url: str, *args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """``corridor serve`` on a free port over ``store_url``; yields its base URL once
    ``/health`` answers, and stops it at the end."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "corridor", "serve", "--port", str(port), *args],
        env={**os.environ, "CORRIDOR_DB": store_url, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):
            if server.poll() is not None:
                raise RuntimeError("the server exited at start-up")
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
