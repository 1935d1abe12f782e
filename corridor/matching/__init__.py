"""Party screening: name comparison, evidence features, candidate index, the Screener."""

from corridor.matching.compare import NameMatch, compare_names, token_similarity
from corridor.matching.index import NameIndex
from corridor.matching.screener import Screener, compare
from corridor.matching.types import (
    DEFAULT_THRESHOLD,
    Adjustment,
    Explanation,
    Query,
    ScreeningResult,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "Adjustment",
    "Explanation",
    "NameIndex",
    "NameMatch",
    "Query",
    "Screener",
    "ScreeningResult",
    "compare",
    "compare_names",
    "token_similarity",
]
