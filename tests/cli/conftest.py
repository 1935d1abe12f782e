"""CLI test fixtures: a wide console and an in-process runner."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from corridor.cli import main

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(autouse=True)
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    from corridor.cli import output

    monkeypatch.setattr(output.console, "_width", 200)


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run ``corridor ARGS...`` in-process; return exit code, stdout and stderr."""

    def _run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return _run
