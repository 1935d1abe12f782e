"""Profile ids stay while their members stay."""

from __future__ import annotations

from corridor.profiles import assign_ids


def test_ids_are_kept_split_and_new() -> None:
    first = assign_ids([["a", "b", "c"], ["d"]], {})
    assert first["a"] == first["b"] == first["c"] != first["d"]
    assert first["a"].startswith("pf-")
    # a new record joins: the id stays
    second = assign_ids([["a", "b", "c", "e"], ["d"]], first)
    assert second["e"] == first["a"] and second["d"] == first["d"]
    # a split: the larger part keeps the id, the smaller gets a new one, never an old one
    third = assign_ids([["a", "b"], ["c"], ["d"]], second)
    assert third["a"] == first["a"]
    assert third["c"] not in set(second.values())
    # a merge: the id shared by most records wins; the other is not reused
    fourth = assign_ids([["a", "b", "c", "d"]], third)
    assert fourth["d"] == first["a"]
    assert assign_ids([["z"]], fourth)["z"] not in set(fourth.values())
