"""``corridor profiles``: computed when lists load, shown with their evidence, judged."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run

UN = "un/UN_consolidated.xml"
UK = "uk/hmt_conlist_2014-04-02/sanctionsconlist.csv"


def test_profiles_commands(run: Run, tmp_path: Path, shared: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    for path in (UN, UK):
        code, _, err = run("--db", db, "lists", "load", str(shared / path))
        assert code == 0, err
        assert "profiles:" in err  # computed as the lists change
    code, out, _ = run("--db", db, "profiles", "compute", "--json")
    assert code == 0 and json.loads(out)["skipped"] is True
    code, out, _ = run("--db", db, "profiles", "show", "un-111923", "--json")
    assert code == 0
    profile = json.loads(out)
    assert {x["entity_id"] for x in profile["listings"]} == {"un-111923", "uk-7016"}
    code, out, _ = run("--db", db, "profiles", "show", "un-111923")
    assert code == 0 and "UN reference number QDi.006" in out and "uk-7016" in out
    code, out, _ = run("--db", db, "screen", "Ayman al-Zawahiri")
    assert code == 0 and "1 possible match" in out  # one party, on two lists
    assert "uk_hmt" in out and "un_sc" in out
    code, out, err = run(
        "--db", db, "profiles", "judge", "un-111923", "uk-7016",
        "--verdict", "different", "--reason", "another date of birth", "--json",
    )  # fmt: skip
    assert code == 0, err
    done = json.loads(out)
    assert done["after"]["un-111923"] != done["after"]["uk-7016"]
    code, out, _ = run("--db", db, "profiles", "show", "uk-7016")
    assert "judgement 1: uk-7016 different un-111923" in out
    # bad input: a record that is not listed, a verdict that is not one
    code, _, err = run(
        "--db", db, "profiles", "judge", "un-111923", "nobody",
        "--verdict", "same", "--reason", "x",
    )  # fmt: skip
    assert code != 0 and "nobody" in err
    code, _, err = run(
        "--db", db, "profiles", "judge", "un-111923", "uk-7016",
        "--verdict", "perhaps", "--reason", "x",
    )  # fmt: skip
    assert code != 0 and "expected 'same' or 'different'" in err
