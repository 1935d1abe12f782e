"""Start the real server (``corridor serve``) for a benchmark, and stop it afterwards."""

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
def running_server(db_url: str, workers: int = 1, timeout: float = 180) -> Iterator[str]:
    """``corridor serve`` on a free port over ``db_url`` (no rate limit), once it answers
    ``/health``; yields its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "corridor",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--rate-limit",
            "0",
        ],
        env={**os.environ, "CORRIDOR_DB": db_url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.perf_counter()
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.perf_counter() - started > timeout:
                sys.exit("the server did not start")
            time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
