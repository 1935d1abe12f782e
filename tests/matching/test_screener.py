"""The Screener over every bundled list: real records, explanations, evidence, refresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.matching import DEFAULT_THRESHOLD, Query, Screener
from corridor.matching.features import FEATURES
from corridor.model.entity import EntityKind
from corridor.store import SqlStore


@pytest.mark.parametrize(
    "name,kind,expected",
    [
        ("Путин Владимир Владимирович", EntityKind.PERSON, "PUTIN, Vladimir Vladimirovich"),
        ("Vladimir Putin", EntityKind.PERSON, "PUTIN, Vladimir Vladimirovich"),
        ("Аркадий Ротенберг", EntityKind.PERSON, "ROTENBERG, Arkady Romanovich"),
        ("Oleg Deripaska", None, "DERIPASKA, Oleg Vladimirovich"),
        ("صدام حسين التكريتي", EntityKind.PERSON, "SADDAM HUSSEIN AL-TIKRITI"),
        ("Банк Россия", EntityKind.ORGANIZATION, "BANK ROSSIYA"),
        ("SBER VOSTOK LLP", EntityKind.ORGANIZATION, "SBER VOSTOK LIMITED LIABILITY PARTNERSHIP"),
        ("GUANGZHOU HAIGE COMM GRP", None, "Guangzhou Haige Communication Group Co., Ltd.,"),
    ],
)
def test_listed_parties_are_found(
    screener: Screener, name: str, kind: EntityKind | None, expected: str
) -> None:
    results = screener.screen(Query(name, kind=kind))
    assert expected in [r.caption for r in results], [r.caption for r in results]
    top = results[0]
    assert top.score >= DEFAULT_THRESHOLD
    assert top.explanation.alignment and top.explanation.summary()


@pytest.mark.parametrize(
    "name",
    [
        "Ivan Petrov",
        "Kassym-Jomart Tokayev",
        "Aigerim Suleimenova",
        "ТОО Казахстан Темир Жолы",
        "Global Trading LLC",
    ],
)
def test_unlisted_parties_raise_nothing(screener: Screener, name: str) -> None:
    assert screener.screen(name) == []


def test_evidence_moves_the_score(screener: Screener) -> None:
    plain = screener.screen(Query("Viktor Bout", kind=EntityKind.PERSON), threshold=0.5)[0]
    born = screener.screen(
        Query("Viktor Bout", kind=EntityKind.PERSON, birth_date="1967-01-13"), threshold=0.5
    )[0]
    wrong = screener.screen(
        Query("Viktor Bout", kind=EntityKind.PERSON, birth_date="1990-05-05"), threshold=0.3
    )
    assert born.score > plain.score
    assert not wrong or wrong[0].score < plain.score - 0.2
    assert any(a.feature == "birth_date" and a.delta > 0 for a in born.explanation.adjustments)
    by_id = screener.screen(
        Query("Bank Rossia", kind=EntityKind.ORGANIZATION, identifiers=("7831000122",))
    )
    assert by_id[0].caption == "BANK ROSSIYA"
    assert any(
        "identifier 7831000122 matches" in a.detail for a in by_id[0].explanation.adjustments
    )
    as_org = screener.screen(Query("Viktor Bout", kind=EntityKind.ORGANIZATION), threshold=0.5)
    assert not as_org or as_org[0].score < plain.score


def test_every_feature_is_documented() -> None:
    for name, feature in FEATURES.items():
        assert feature.__doc__ and len(feature.__doc__) > 40, name


def test_index_loses_nothing_against_brute_force(screener: Screener) -> None:
    queries = [
        "Vladimir Putin",
        "Mohammed Ali",
        "Ahmad Hassan",
        "SBERBANK",
        "Rosneft",
        "Kim Jong Un",
        "Hafiz Saeed",
        "Abdul Rahman",
        "Ivan Ivanov",
        "Tokayev",
    ]
    for q in queries:
        fast = {r.entity_id for r in screener.screen(q, limit=500)}
        full = {r.entity_id for r in screener.screen(q, limit=500, exhaustive=True)}
        assert full <= fast, (q, full - fast)


def test_index_is_rebuilt_when_a_list_version_changes(shared: Path, tmp_path: Path) -> None:
    from corridor.service import load_list
    from corridor.store import open_store

    store = open_store(f"sqlite:///{tmp_path / 's.db'}")
    load_list(
        store,
        shared / "format_excerpts/deriv-com_perl-Data-Validate-Sanctions/sample_unsc.xml",
        source="un_sc",
    )
    screener = Screener.from_store(store)
    assert screener.screen("Saddam Hussein Al-Tikriti") == []
    load_list(store, shared / "un/UN_consolidated.xml", source="un_sc")
    assert screener.refresh(force=True)
    assert screener.screen("Saddam Hussein Al-Tikriti")[0].source == "un_sc"
    assert not screener.refresh(force=False)  # checked too recently: nothing to do
    store.close()


def test_screening_store_with_everything(bundled_store: SqlStore, screener: Screener) -> None:
    assert len(screener.index.entities) == bundled_store.count_entities()
