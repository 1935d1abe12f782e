"""The UK Sanctions List XML (FCDO): the real excerpt of ../shared/data, and a file built from
the published structure for the details the excerpt lacks (persons, companies, ships)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.exceptions import FormatError
from corridor.lists import detect_format, open_list
from corridor.lists.parsers.uk_sl_xml import uk_dates
from corridor.lists.sources import load_sources
from corridor.model.entity import EntityKind, IdType, NameStrength, NameType

DETAILS = Path(__file__).parent.parent / "data" / "lists" / "uk_sanctions_list_details.xml"
EXCERPT = "uk/uksl_xml_2026-09-02_excerpt/UK-Sanctions-List.xml"


def test_real_excerpt(shared: Path) -> None:
    reader = open_list(shared / EXCERPT)
    ents = {e.id: e for e in reader}
    assert reader.format.name == "uk_sl_xml" and reader.context.source == "uk_fcdo"
    assert reader.context.published == "2026-09-02"
    hawala = ents["uksl-AFG0001"]
    assert hawala.kind is EntityKind.ORGANIZATION
    assert [n.full for n in hawala.names] == [
        "HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE",
        "Haji Alim Hawala",
        "Haji Hakim Hawala",
    ]
    assert hawala.attributes["un_reference"] == ["TAe.010"]
    assert hawala.countries == ["AF", "AE"]
    assert hawala.listed_on == "2012-06-29" and hawala.modified_on == "2026-08-04"
    assert hawala.programs == ["The Afghanistan (Sanctions) (EU Exit) Regulations 2020"]
    person = ents["uksl-AFG0006"]
    assert person.kind is EntityKind.PERSON
    assert person.birth_dates == ["1945", "1946"]
    assert person.attributes["sanctions_imposed"] == ["Asset freeze", "Travel Ban"]
    assert [p.value for p in person.names[0].parts] == ["MOHAMMAD", "HASSAN", "AKHUND"]


def test_details_of_persons_companies_and_ships() -> None:
    ents = {e.id: e for e in open_list(DETAILS)}
    person = ents["uksl-RUS9901"]
    names = {(n.full, n.type, n.strength) for n in person.names}
    # "Primary name" and "PRIMARY NAME": the case of NameType varies in the published file
    assert ("Pavel Igorevich SOKOLOVSKY", NameType.PRIMARY, NameStrength.STRONG) in names
    assert ("Pasha Sokol", NameType.AKA, NameStrength.WEAK) in names
    assert ("Павел Игоревич СОКОЛОВСКИЙ", NameType.AKA, NameStrength.STRONG) in names
    assert person.birth_dates == ["1971", "1971-05-12"]
    assert person.nationalities == ["RU"] and person.gender == "male"
    assert person.birth_places == ["Omsk, Russia"]
    ids = {(i.type, i.value, i.country) for i in person.identifiers}
    assert (IdType.PASSPORT, "751234567", "RU") in ids
    assert (IdType.INN, "500100732259", None) in ids
    company = ents["uksl-RUS9902"]
    assert company.names[0].type is NameType.PRIMARY
    assert [(i.type, i.value) for i in company.identifiers] == [
        (IdType.REGISTRATION, "1027700132195")
    ]
    ship = ents["uksl-RUS9903"]
    assert ship.kind is EntityKind.VESSEL
    assert [(i.type, i.value) for i in ship.identifiers] == [(IdType.IMO, "9305611")]
    assert ship.countries == ["CM"]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("dd/mm/1945", ["1945"]),
        ("dd/05/1971", ["1971-05"]),
        ("07/mm/1971", ["1971"]),
        ("12/05/1971", ["1971-05-12"]),
        ("00/00/1960", ["1960"]),
        ("31/02/1960", []),
    ],
)
def test_dates_with_unknown_parts(text: str, expected: list[str]) -> None:
    assert uk_dates(text) == expected


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "UK-Sanctions-List.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<Designations>\n'
        "<DateGenerated>02/09/2026</DateGenerated>\n" + body,
        "utf-8",
    )
    return path


def test_bad_designations_are_named(tmp_path: Path) -> None:
    no_kind = _write(
        tmp_path,
        "<Designation><UniqueID>RUS1</UniqueID><Names><Name><Name6>X</Name6></Name></Names>"
        "<IndividualEntityShip>Company</IndividualEntityShip></Designation></Designations>",
    )
    with pytest.raises(FormatError, match="RUS1.*Company|Company.*expected Individual"):
        list(open_list(no_kind))
    twice = _write(
        tmp_path,
        "<Designation><UniqueID>RUS1</UniqueID><Names><Name><Name6>X</Name6></Name></Names>"
        "<IndividualEntityShip>Entity</IndividualEntityShip></Designation>"
        "<Designation><UniqueID>RUS1</UniqueID><Names><Name><Name6>Y</Name6></Name></Names>"
        "<IndividualEntityShip>Entity</IndividualEntityShip></Designation></Designations>",
    )
    with pytest.raises(FormatError, match="RUS1 appears twice"):
        list(open_list(twice))
    cut = _write(
        tmp_path,
        "<Designation><UniqueID>RUS1</UniqueID><Names><Name><Name6>X</Name6></Name></Names>"
        "<IndividualEntityShip>Entity</IndividualEntityShip></Designation>\n<Designation><Uni",
    )
    with pytest.raises(FormatError, match="truncated|malformed"):
        list(open_list(cut))


def test_detected_and_the_default_uk_source(shared: Path) -> None:
    assert detect_format(shared / EXCERPT).name == "uk_sl_xml"
    assert detect_format(DETAILS).name == "uk_sl_xml"
    sources = load_sources()
    assert sources["uk_fcdo"].format == "uk_sl_xml"
    assert "fcdo.gov.uk" in sources["uk_fcdo"].url
    # the retired OFSI list is no longer downloaded, but its files stay readable
    assert "uk_hmt" not in sources
    assert detect_format(shared / "uk/hmt_conlist_2014-04-02/sanctionsconlist.csv").name == (
        "uk_hmt_csv"
    )
