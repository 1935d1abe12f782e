"""Official sanctions and export-control lists: formats, parsing, fetching and diffs."""

from corridor.lists.base import ListFormat, ParseContext, formats
from corridor.lists.read import ListReader, detect_format, open_list

__all__ = ["ListFormat", "ListReader", "ParseContext", "detect_format", "formats", "open_list"]
