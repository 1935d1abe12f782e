"""Downloading lists from their official addresses, with checksums and conditional requests.

Each download is kept in the download directory with a small JSON state file holding the
``ETag`` and ``Last-Modified`` the server sent; the next request sends them back
(``If-None-Match``/``If-Modified-Since``) and a ``304 Not Modified`` costs no transfer.
A pinned ``sha256`` (or one published at ``sha256_url``) must match the file, or the
download is rejected and nothing is imported.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx

from corridor.exceptions import ChecksumError, FetchError
from corridor.lists.sources import SourceConfig

_USER_AGENT = "Corridor/0.1 (sanctions list fetcher)"


@dataclass(frozen=True)
class FetchResult:
    source: str
    path: Path
    not_modified: bool
    sha256: str
    size: int


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _state_path(download_dir: Path, source: str) -> Path:
    return download_dir / f"{source}.state.json"


def _expected_sha(client: httpx.Client, cfg: SourceConfig) -> str | None:
    if cfg.sha256:
        return cfg.sha256.lower()
    if cfg.sha256_url:
        try:
            resp = client.get(cfg.sha256_url)
            resp.raise_for_status()
        except httpx.HTTPError as exc:
            raise FetchError(
                f"{cfg.name}: cannot get checksum from {cfg.sha256_url}: {exc}"
            ) from exc
        m = re.search(r"\b([0-9a-fA-F]{64})\b", resp.text)
        if not m:
            raise ChecksumError(f"{cfg.name}: {cfg.sha256_url} holds no SHA-256 checksum")
        return m.group(1).lower()
    return None


def fetch_source(
    cfg: SourceConfig,
    download_dir: Path,
    timeout: float = 60.0,
    transport: httpx.BaseTransport | None = None,
) -> FetchResult:
    """Download one source into ``download_dir`` unless the server says it is unchanged."""
    download_dir.mkdir(parents=True, exist_ok=True)
    state_file = _state_path(download_dir, cfg.name)
    state: dict[str, str] = {}
    if state_file.exists():
        try:
            state = json.loads(state_file.read_text("utf-8"))
        except (OSError, ValueError):
            state = {}
    target = download_dir / f"{cfg.name}.download"
    headers = {"User-Agent": _USER_AGENT}
    if target.exists() and state.get("sha256"):
        if state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state.get("last_modified"):
            headers["If-Modified-Since"] = state["last_modified"]
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, transport=transport) as client:
            expected = _expected_sha(client, cfg)
            with client.stream("GET", cfg.url, headers=headers) as resp:
                if resp.status_code == 304:
                    return FetchResult(
                        cfg.name, target, True, state["sha256"], target.stat().st_size
                    )
                if resp.status_code >= 400:
                    raise FetchError(f"{cfg.name}: {cfg.url} answered HTTP {resp.status_code}")
                fd, tmp_name = tempfile.mkstemp(dir=download_dir, prefix=f".{cfg.name}.")
                digest = hashlib.sha256()
                size = 0
                try:
                    with os.fdopen(fd, "wb") as out:
                        for chunk in resp.iter_bytes():
                            out.write(chunk)
                            digest.update(chunk)
                            size += len(chunk)
                    sha = digest.hexdigest()
                    if expected and sha != expected:
                        raise ChecksumError(
                            f"{cfg.name}: downloaded file has SHA-256 {sha}, expected {expected}"
                        )
                    os.replace(tmp_name, target)
                finally:
                    if os.path.exists(tmp_name):
                        os.unlink(tmp_name)
                new_state = {"sha256": sha, "url": cfg.url}
                if resp.headers.get("etag"):
                    new_state["etag"] = resp.headers["etag"]
                if resp.headers.get("last-modified"):
                    new_state["last_modified"] = resp.headers["last-modified"]
                state_file.write_text(json.dumps(new_state, indent=2), "utf-8")
                return FetchResult(cfg.name, target, False, sha, size)
    except httpx.HTTPError as exc:
        raise FetchError(f"{cfg.name}: cannot download {cfg.url}: {exc}") from exc
