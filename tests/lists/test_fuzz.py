"""Property tests: broken versions of real files never crash a parser with anything but the
library's own error type."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridor.exceptions import CorridorError
from corridor.lists import open_list

# (file, format, bytes of it to mutate): small heads keep each example fast
SAMPLES = [
    ("ofac/sdn_csv_2024-05-03/sdn.csv", "ofac_csv", 6000),
    ("ofac/consolidated_nonsdn_xml_2018-04-06/consolidated.xml", "ofac_xml", 8000),
    ("ofac/cons_advanced_xml_2020-03-17/cons_advanced.xml", None, 0),
    ("ofac/cons_enhanced_xml_2025-01-14/CONS_ENHANCED.ZIP", None, 0),
    ("un/UN_consolidated.xml", "un_xml", 8000),
    ("eu/fsf_v1.0_xml_2016-02-11_excerpt/data.xml", "eu_fsf_v1_xml", 8000),
    ("eu/fsf_v1.0_csv_2018-07-04_excerpt/EUSanctionsShort.csv", "eu_fsf_v1_csv", 8000),
    ("format_excerpts/deriv-com_perl-Data-Validate-Sanctions/sample_eu.xml", "eu_fsf_xml", 0),
    ("uk/hmt_conlist_2014-04-02/sanctionsconlist.csv", "uk_hmt_csv", 6000),
    ("format_excerpts/deriv-com_perl-Data-Validate-Sanctions/sample_hmt.csv", "uk_hmt_csv", 0),
    ("uk/uksl_xml_2026-09-02_excerpt/UK-Sanctions-List.xml", "uk_sl_xml", 0),
]


def _base(shared: Path, file: str, limit: int) -> bytes:
    path = shared / file
    if file.endswith(".ZIP"):
        import zipfile

        with zipfile.ZipFile(path) as zf:
            data = zf.read(zf.namelist()[0])
    else:
        data = path.read_bytes()
    return data[:limit] if limit else data[:60000]


mutation = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1), st.binary(max_size=0)),
    st.tuples(st.just("flip"), st.floats(0, 1), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=40)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.binary(min_size=1, max_size=200)),
)


def _mutate(data: bytes, op: tuple[str, float, bytes]) -> bytes:
    kind, where, payload = op
    pos = int(where * len(data))
    if kind == "truncate":
        return data[:pos]
    if kind == "flip":
        return data[:pos] + payload + data[pos + len(payload) :]
    if kind == "insert":
        return data[:pos] + payload + data[pos:]
    return data[:pos] + data[pos + len(payload) :]


@pytest.mark.parametrize("file,fmt,limit", SAMPLES, ids=[s[0].split("/")[-1] for s in SAMPLES])
def test_mutated_files_fail_cleanly(
    shared: Path, tmp_path: Path, file: str, fmt: str | None, limit: int
) -> None:
    base = _base(shared, file, limit)
    target = tmp_path / Path(file).name.replace(".ZIP", ".xml")

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(st.lists(mutation, min_size=1, max_size=3))
    def check(ops: list[tuple[str, float, bytes]]) -> None:
        data = base
        for op in ops:
            data = _mutate(data, op)
        target.write_bytes(data)
        try:
            for ent in open_list(target, format=fmt):
                assert ent.id and ent.names
        except CorridorError:
            pass

    check()


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash_detection(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "random.bin"
        path.write_bytes(data)
        try:
            for _ in open_list(path):
                pass
        except CorridorError:
            pass
