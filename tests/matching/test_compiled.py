"""The compiled index: the same results as the index it replaced, files that are whole or
refused, one build shared by every process, and an exhaustive search that loses nothing."""

from __future__ import annotations

import multiprocessing as mp
import random
from pathlib import Path

import pytest

from corridor.exceptions import IndexFileError
from corridor.matching import Query, Screener
from corridor.matching.artefact import IndexFiles
from corridor.matching.build import IndexBuilder
from corridor.matching.index import NameIndex
from corridor.matching.layout import FORMAT
from corridor.model.entity import Entity
from corridor.store import SqlStore
from tests.matching import reference_index

THRESHOLD = 0.7  # below the default, so that near misses are compared too
HARD = [
    "Vladimir Putin",
    "Путин Владимир",
    "Sberbank",
    "Ivan Petrov",
    "Mohammad Ali",
    "Bank Melli",
    "Rosneft",
    "Syrian Air",
    "SYRIANAIR",
    "Kim Jong Un",
    "Abdul Rahman",
    "A. B. C.",
    "V. Putin",
    "Tokayev",
    "Қасым-Жомарт Тоқаев",
    "صدام حسين",
    "Al Qaida",
    "Hamad bin Khalid",
]


def _queries(entities: list[Entity], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    names = [e.names[rng.randrange(len(e.names))].full for e in rng.sample(entities, count)]
    return HARD + names


def _key(results: list) -> list[tuple[str, float, str]]:  # type: ignore[type-arg]
    return [(r.entity_id, r.score, r.explanation.summary()) for r in results]


@pytest.fixture(scope="module")
def entities(bundled_store: SqlStore) -> list[Entity]:
    return list(bundled_store.iter_active_entities())


def _compile(entities: list[Entity], path: Path, two_edits: bool = True) -> NameIndex:
    with path.open("wb") as fh:
        IndexBuilder(two_edits).add_all(entities).write(fh, {"format": FORMAT, "key": "test"})
    return NameIndex.open(path, verify=True)


@pytest.fixture(scope="module")
def compiled(entities: list[Entity], tmp_path_factory: pytest.TempPathFactory) -> NameIndex:
    return _compile(entities, tmp_path_factory.mktemp("index") / "bundled.cidx")


@pytest.fixture(scope="module")
def reference(entities: list[Entity]) -> reference_index.NameIndex:
    index = reference_index.NameIndex(entities)
    index.notes = {}  # type: ignore[attr-defined]
    return index


def test_results_are_identical_to_the_index_it_replaced(
    entities: list[Entity], reference: reference_index.NameIndex, tmp_path: Path
) -> None:
    """Every bundled list, 300 listed names and hard cases: the same entities, scores and
    explanations, in the same order, from the mapped file as from the in-memory index of
    Python objects that came before it (with the same blocking keys: without the keys that
    reach long words two edits away, which came with the compiled index)."""
    compiled = _compile(entities, tmp_path / "same-keys.cidx", two_edits=False)
    new, old = Screener(index=compiled), Screener(index=reference)  # type: ignore[arg-type]
    assert len(compiled.entities) == len(reference.entities)
    assert len(compiled.forms) == len(reference.forms)
    assert len(compiled.tokens) == len(reference.tokens)
    for name in _queries(entities, 300, seed=7):
        for query in (Query(name), Query(name, birth_date="1952", country="RU")):
            got = new.screen(query, threshold=THRESHOLD, limit=50, refresh=False, by_profile=False)
            want = old.screen(query, threshold=THRESHOLD, limit=50, refresh=False, by_profile=False)
            assert _key(got) == _key(want), name


def test_two_edit_keys_only_add_results(
    entities: list[Entity], compiled: NameIndex, reference: reference_index.NameIndex
) -> None:
    """With the keys for long words two edits away, every result of the old index is still
    found with the same score, and some names find more."""
    new, old = Screener(index=compiled), Screener(index=reference)  # type: ignore[arg-type]
    gained = 0
    for name in _queries(entities, 300, seed=7):
        got = {
            r.entity_id: r.score
            for r in new.screen(name, limit=1000, refresh=False, by_profile=False)
        }
        want = {
            r.entity_id: r.score
            for r in old.screen(name, limit=1000, refresh=False, by_profile=False)
        }
        assert all(got.get(e) == s for e, s in want.items()), name
        gained += len(got) - len(want)
    assert gained >= 0


def test_exhaustive_search_equals_comparing_every_name(
    entities: list[Entity], compiled: NameIndex
) -> None:
    """The reference the benchmarks measure recall against (every name holding a word the
    query resembles, over the whole vocabulary) finds what comparing every listed name finds,
    above 0.5 (a match resting on initials alone scores 0.5 at most, and is not searched)."""
    screener = Screener(index=compiled)
    for name in _queries(entities, 6, seed=11)[::2]:
        words = screener.screen(name, threshold=0.51, limit=10_000, exhaustive=True, refresh=False)
        every = screener.screen(name, threshold=0.51, limit=10_000, every_form=True, refresh=False)
        assert _key(words) == _key(every), name


def test_a_damaged_or_foreign_file_is_refused(compiled: NameIndex, tmp_path: Path) -> None:
    data = bytes(compiled._sections.buffer)
    cut = tmp_path / "cut.cidx"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(IndexFileError, match="truncated or damaged"):
        NameIndex.open(cut)
    flipped = bytearray(data)
    flipped[len(data) // 3] ^= 0xFF
    bad = tmp_path / "flipped.cidx"
    bad.write_bytes(bytes(flipped))
    with pytest.raises(IndexFileError, match="digest"):
        NameIndex.open(bad, verify=True)
    other = tmp_path / "other.cidx"
    other.write_bytes(b"not an index at all, just some bytes of text" * 10)
    with pytest.raises(IndexFileError, match="not a Corridor index file"):
        NameIndex.open(other)


def _build_in_child(directory: str, key: str, counter: str) -> str:
    files = IndexFiles(Path(directory))

    def build(out, meta):  # type: ignore[no-untyped-def]
        with open(counter, "a") as fh:
            fh.write("built\n")
        IndexBuilder().add_all([]).write(out, meta)

    index = files.open_or_build(key, build)
    return str(index.meta["key"])


def test_processes_share_one_build(tmp_path: Path) -> None:
    """Four processes asking for the same index at once: one builds it, all map it."""
    counter = tmp_path / "builds.txt"
    with mp.get_context("spawn").Pool(4) as pool:
        keys = pool.starmap(_build_in_child, [(str(tmp_path / "index"), "k1", str(counter))] * 4)
    assert keys == ["k1"] * 4
    assert counter.read_text().count("built") == 1
    assert [p.name for p in (tmp_path / "index").glob("*.tmp")] == []


def test_a_damaged_file_is_rebuilt_and_old_files_pruned(tmp_path: Path) -> None:
    files = IndexFiles(tmp_path)
    built: list[str] = []

    def build(out, meta):  # type: ignore[no-untyped-def]
        built.append(meta["key"])
        IndexBuilder().write(out, meta)

    files.open_or_build("a", build)
    files.path("a").write_bytes(files.path("a").read_bytes()[:-20])  # a disk that filled up
    files.open_or_build("a", build)
    assert built == ["a", "a"]
    for key in ("b", "c", "d", "e"):
        files.open_or_build(key, build)
    assert {i.key for i in files.files()} == {"c", "d", "e"}


def test_an_unwritable_directory_is_a_clear_error(tmp_path: Path) -> None:
    from corridor.exceptions import StoreError

    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    files = IndexFiles(blocked / "index")
    with pytest.raises(StoreError, match="CORRIDOR_INDEX_DIR"):
        files.open_or_build("k", lambda out, meta: IndexBuilder().write(out, meta))
