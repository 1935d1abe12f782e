"""Kazakhstan's AFM lists, both XML exports. No real file could be had: the fixtures in
tests/data/lists are built from the structure public descriptions give (see the parser)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.exceptions import ConfigError, FormatError, InvalidQuery
from corridor.lists import detect_format, open_list
from corridor.lists.sources import load_sources
from corridor.model.checkdigits import kz_id_is_person, kz_id_valid, ru_inn_valid, ru_ogrn_valid
from corridor.model.entity import EntityKind, IdType
from corridor.service.lists import update_lists
from corridor.settings import Settings
from corridor.store import open_store

DATA = Path(__file__).parent.parent / "data" / "lists"
FINANCING = DATA / "kz_afm_financing.xml"
PARTICIPANTS = DATA / "kz_afm_participants.xml"


def test_financing_export() -> None:
    reader = open_list(FINANCING)
    ents = {e.id: e for e in reader}
    assert reader.format.name == "kz_afm_xml" and reader.context.source == "kz_afm"
    person = ents["kzafm-850302300127"]
    assert person.kind is EntityKind.PERSON
    assert person.caption == "АХМЕТОВ ДАНИЯР СЕРИКОВИЧ"
    assert [(p.kind.value, p.value) for p in person.names[0].parts] == [
        ("given", "ДАНИЯР"),
        ("middle", "СЕРИКОВИЧ"),
        ("family", "АХМЕТОВ"),
    ]
    assert person.birth_dates == ["1985-03-02"] and person.listed_on == "2019-05-14"
    assert [(i.type, i.value, i.country) for i in person.identifiers] == [
        (IdType.IIN, "850302300127", "KZ")
    ]
    # an IIN that fails its check digit is kept, marked, and not used as the record's id
    karimov = next(e for e in ents.values() if e.caption == "KARIMOV RUSLAN")
    assert karimov.id.startswith("kzafm-p")
    assert karimov.identifiers[0].note == "check digit does not verify"
    assert karimov.birth_dates == ["1978"]
    assert any("780611103451 fails its check digit" in w for w in reader.context.warnings)
    # a record taken off the list is not loaded
    assert not any("САПАРОВ" in e.caption for e in ents.values())
    assert any("taken off the list" in w for w in reader.context.warnings)
    org = ents["kzafm-040440001237"]
    assert org.kind is EntityKind.ORGANIZATION
    assert [n.full for n in org.names] == [
        "ТОО «Сункар Транзит Логистик»",
        "ТОО «Sunkar Transit»",
        "Sunkar Transit Logistic LLP",
    ]
    assert [(i.type, i.value) for i in org.identifiers] == [(IdType.BIN, "040440001237")]
    assert len(ents) == 5


def test_participants_export_merges_a_repeated_record() -> None:
    reader = open_list(PARTICIPANTS, source="kz_afm_participants")
    ents = {e.id: e for e in reader}
    assert reader.context.source == "kz_afm_participants"
    person = ents["kzafm-991122404565"]
    assert [n.full for n in person.names] == [
        "НУРЛАНОВ АСЕТ ЕРБОЛОВИЧ",
        "НУРЛАНОВ АСЕТ ЕРБОЛҰЛЫ",
    ]
    assert any("repeats record" in w for w in reader.context.warnings)
    assert ents["kzafm-150540019870"].names[1].full == "Ansar Sauda Group"


def test_ids_are_stable_without_numbers() -> None:
    first = sorted(e.id for e in open_list(FINANCING))
    assert first == sorted(e.id for e in open_list(FINANCING))


def _cuts() -> list[int]:
    """Where a broken download stops: after each record, inside a Cyrillic letter, and at
    points through the file."""
    data = FINANCING.read_bytes()
    ends = [
        data.index(tag, start) + len(tag)
        for tag in (b"</person>", b"</org>")
        for start in (0, data.index(tag) + 1)
    ]
    letter = data.index("АХМЕТОВ".encode()) + 1  # between the two bytes of "А"
    return sorted({*ends, letter, *range(300, len(data) - 5, 400), len(data) - 5})


@pytest.mark.parametrize("cut", _cuts())
def test_truncated_exports_are_refused(tmp_path: Path, cut: int) -> None:
    data = FINANCING.read_bytes()
    path = tmp_path / "afm.xml"
    path.write_bytes(data[:cut])
    with pytest.raises(FormatError):
        list(open_list(path, format="kz_afm_xml"))


def test_a_person_without_a_name_is_named(tmp_path: Path) -> None:
    path = tmp_path / "afm.xml"
    path.write_text(
        "<xml><persons><person><lname>А</lname></person>\n"
        "<person><birthdate>01.01.1990</birthdate></person></persons></xml>",
        "utf-8",
    )
    with pytest.raises(FormatError, match="line 2.*no lname|no lname.*line 2"):
        list(open_list(path))


def test_detection() -> None:
    assert detect_format(FINANCING).name == "kz_afm_xml"
    assert detect_format(PARTICIPANTS).name == "kz_afm_xml"


@pytest.mark.parametrize(
    "value,valid,person",
    [
        ("971240001315", True, False),
        ("850302300127", True, True),
        ("850302300128", False, True),
        ("85030230012", False, None),
    ],
)
def test_kz_check_digits(value: str, valid: bool, person: bool | None) -> None:
    assert kz_id_valid(value) is valid
    assert kz_id_is_person(value) is person


def test_ru_check_digits() -> None:
    assert ru_inn_valid("7707083893") and not ru_inn_valid("7707083894")
    assert ru_inn_valid("500100732259") and not ru_inn_valid("500100732250")
    assert ru_ogrn_valid("1027700132195") and not ru_ogrn_valid("1027700132196")


def test_source_address_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CORRIDOR_KZ_AFM_URL", raising=False)
    assert not load_sources()["kz_afm"].configured
    store = open_store(f"sqlite:///{tmp_path / 'c.db'}")
    settings = Settings(data_dir=tmp_path, db_url="unused")
    # named explicitly: a clear error saying what to set
    with pytest.raises(InvalidQuery, match="CORRIDOR_KZ_AFM_URL"):
        update_lists(store, settings, ["kz_afm"])
    monkeypatch.setenv("CORRIDOR_KZ_AFM_URL", "https://example.invalid/afm.xml")
    assert load_sources()["kz_afm"].url == "https://example.invalid/afm.xml"
    bad = tmp_path / "sources.toml"
    bad.write_text('[sources.x]\nurl = ""\nurl_env = "HOME"\n', "utf-8")
    with pytest.raises(ConfigError, match="CORRIDOR_"):
        load_sources(bad)


def test_a_persons_iin_given_as_an_organisations_bin_is_noted(tmp_path: Path) -> None:
    path = tmp_path / "afm.xml"
    path.write_text(
        "<xml><orgs><org><org_name>ТОО «Тест»</org_name><org_iin>850302300127</org_iin>"
        "</org></orgs></xml>",
        "utf-8",
    )
    reader = open_list(path)
    [org] = list(reader)
    assert org.identifiers[0].note == "IIN given where the export expects BIN"
    assert any("850302300127: IIN given" in w for w in reader.context.warnings)
