"""Pure text processing for names: romanisation, folding, legal forms, analysis."""

from corridor.names.analyze import AnalyzedName, Token, TokenKind, analyze, name_variants
from corridor.names.fold import fold, skeleton
from corridor.names.translit import kazakh_to_russian, romanise

__all__ = [
    "AnalyzedName",
    "Token",
    "TokenKind",
    "analyze",
    "fold",
    "kazakh_to_russian",
    "name_variants",
    "romanise",
    "skeleton",
]
