"""`lists update` against a local HTTP server that serves the real files (never the internet)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from corridor.service import update_lists
from corridor.settings import Settings
from corridor.store import SqlStore


class _Files:
    def __init__(self) -> None:
        self.routes: dict[str, bytes] = {}
        self.hits: list[tuple[str, int]] = []


@pytest.fixture
def server(shared: Path) -> Iterator[tuple[str, _Files]]:
    files = _Files()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = files.routes.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                files.hits.append((self.path, 404))
                return
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                files.hits.append((self.path, 304))
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", formatdate(usegmt=True))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            files.hits.append((self.path, 200))

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", files
    httpd.shutdown()
    httpd.server_close()


def _settings(tmp_path: Path, base: str, extra: str = "") -> Settings:
    sources = tmp_path / "sources.toml"
    sources.write_text(f"""
[sources.un_sc]
url = "{base}/un/consolidated.xml"
format = "un_xml"

[sources.us_csl]
url = "{base}/csl/consolidated.csv.gz"
{extra}
""")
    return Settings(data_dir=tmp_path / "data", db_url="unused", sources_file=sources)


def test_update_downloads_then_uses_conditional_requests(
    sqlite_store: SqlStore, shared: Path, tmp_path: Path, server: tuple[str, _Files]
) -> None:
    base, files = server
    files.routes["/un/consolidated.xml"] = (shared / "un/UN_consolidated.xml").read_bytes()
    files.routes["/csl/consolidated.csv.gz"] = (shared / "us_csl/consolidated.csv.gz").read_bytes()
    settings = _settings(tmp_path, base)
    first = {o.source: o for o in update_lists(sqlite_store, settings)}
    assert first["un_sc"].status == "updated" and first["us_csl"].status == "updated"
    assert first["un_sc"].version.entity_count == 1003  # type: ignore[union-attr]
    second = {o.source: o for o in update_lists(sqlite_store, settings)}
    assert second["un_sc"].status == "not_modified"
    assert ("/un/consolidated.xml", 304) in files.hits
    # a changed file on the server becomes a new version
    files.routes["/un/consolidated.xml"] = (
        shared / "format_excerpts/deriv-com_perl-Data-Validate-Sanctions/sample_unsc.xml"
    ).read_bytes()
    third = {o.source: o for o in update_lists(sqlite_store, settings, ["un_sc"])}
    # ... but one that loses 99 % of the entities is stored and held back, not activated
    assert third["un_sc"].status == "held" and third["un_sc"].failed
    assert "7 entities" in third["un_sc"].detail and "lists activate un_sc" in third["un_sc"].detail
    assert third["un_sc"].version.entity_count == 1003  # type: ignore[union-attr]
    assert len(sqlite_store.versions("un_sc")) == 2
    # a changed file of about the same size is activated
    full = (shared / "un/UN_consolidated.xml").read_bytes()
    files.routes["/un/consolidated.xml"] = full.replace(b"<DATAID>", b"<DATAID>9", 3)
    fourth = {o.source: o for o in update_lists(sqlite_store, settings, ["un_sc"])}
    assert fourth["un_sc"].status == "updated"
    assert len(sqlite_store.versions("un_sc")) == 3


def test_checksum_mismatch_and_broken_download_keep_active_version(
    sqlite_store: SqlStore, shared: Path, tmp_path: Path, server: tuple[str, _Files]
) -> None:
    base, files = server
    good = (shared / "us_csl/consolidated.csv.gz").read_bytes()
    files.routes["/un/consolidated.xml"] = (shared / "un/UN_consolidated.xml").read_bytes()
    files.routes["/csl/consolidated.csv.gz"] = good
    sha = hashlib.sha256(good).hexdigest()
    settings = _settings(tmp_path, base, f'sha256 = "{sha}"')
    assert {o.status for o in update_lists(sqlite_store, settings)} == {"updated"}
    active = sqlite_store.active_version("us_csl")
    files.routes["/csl/consolidated.csv.gz"] = good[: len(good) // 2]
    outcome = update_lists(sqlite_store, settings, ["us_csl"])[0]
    assert outcome.status == "failed" and "SHA-256" in outcome.detail
    # without a pinned checksum the truncated file is caught by the parser
    settings = _settings(tmp_path, base)
    outcome = update_lists(sqlite_store, settings, ["us_csl"])[0]
    assert outcome.status == "failed" and "truncated or damaged" in outcome.detail
    assert sqlite_store.active_version("us_csl") == active
    # a missing file is a clear failure too
    files.routes.pop("/un/consolidated.xml")
    (tmp_path / "data/downloads/un_sc.download").unlink()
    outcome = update_lists(sqlite_store, settings, ["un_sc"])[0]
    assert outcome.status == "failed" and "HTTP 404" in outcome.detail
