"""What every import of a versioned file reports (lists, ownership graphs, goods lists)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar


class Version(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


V = TypeVar("V", bound=Version)


@dataclass
class LoadResult(Generic[V]):
    source: str
    version: V | None
    skipped: bool  # the same file is already the active version
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "skipped": self.skipped,
            "version": self.version.to_dict() if self.version else None,
            "warnings": list(self.warnings),
        }
