"""Every record Corridor exports as FollowTheMoney validates with the followthemoney library
(the `ftm` extra): each property known to its schema, each value valid for its type. Run by
`make test` (CORRIDOR_REQUIRE_FTM=1, so a missing library fails rather than skips)."""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Any

import pytest

from corridor.lists import open_list
from corridor.lists.bundled import bundled_lists
from corridor.model.ftm import to_ftm

if os.environ.get("CORRIDOR_REQUIRE_FTM"):
    import followthemoney  # noqa: F401
else:
    pytest.importorskip("followthemoney")

from followthemoney import model  # noqa: E402
from followthemoney.proxy import EntityProxy  # noqa: E402


def _problems(record: dict[str, Any]) -> list[str]:
    schema = model.get(record["schema"])
    if schema is None:
        return [f"unknown schema {record['schema']}"]
    out = []
    for key, values in record["properties"].items():
        prop = schema.get(key)
        if prop is None:
            out.append(f"{schema.name}.{key}: not a property of the schema")
            continue
        for value in values:
            if not prop.type.validate(value, format=prop.format):
                out.append(f"{schema.name}.{key}: {value!r} is not a valid {prop.type.name}")
    if not out:
        EntityProxy.from_dict(record, cleaned=False)
    return out


def test_every_exported_record_of_the_bundled_lists_validates() -> None:
    failed: Counter[str] = Counter()
    examples: dict[str, str] = {}
    records = entities = 0
    for item in bundled_lists():
        for ent in open_list(item.path, format=item.format, source=item.source):
            records += 1
            bad = False
            for rec in to_ftm(ent):
                entities += 1
                # through JSON, as an export writes it
                for problem in _problems(json.loads(json.dumps(rec, ensure_ascii=False))):
                    key = problem.split(":")[0]
                    failed[key] += 1
                    examples.setdefault(key, f"{ent.id}: {problem}")
                    bad = True
            failed["records"] += bad
    assert records > 33_000 and entities > 100_000
    assert failed["records"] == 0, (dict(failed), examples)
