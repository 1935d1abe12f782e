"""Readers of ownership data: CSV edges, designated-party CSV, FollowTheMoney and BODS."""

from corridor.ownership.readers.base import GraphData
from corridor.ownership.readers.designated import read_designated
from corridor.ownership.readers.detect import detect_graph_format, read_graph

__all__ = ["GraphData", "detect_graph_format", "read_designated", "read_graph"]
