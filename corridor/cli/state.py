"""Options shared by every command (``--db``), resolved once per invocation."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

from corridor.matching import Screener
from corridor.service.screening import build_screener
from corridor.settings import Settings
from corridor.store import SqlStore, open_store


@dataclass
class CliState:
    db: str | None = None
    argv: list[str] = field(default_factory=list)
    _store: SqlStore | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        return Settings.from_env(db_url=self.db)

    def store(self) -> SqlStore:
        if self._store is None:
            self._store = open_store(self.settings.db_url)
        return self._store

    def screener(self, threshold: float | None = None) -> Screener:
        """A party screener over the store, on the compiled index of its active versions."""
        return build_screener(self.store(), threshold, index_dir=self.settings.index_dir)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


STATE = CliState()
CLI_ACTOR = f"cli:{getpass.getuser()}"  # who the audit trail names for command-line changes
