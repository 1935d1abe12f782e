"""Bulk jobs: screening files of parties on every core (``screening``), table I/O (``tables``)."""
