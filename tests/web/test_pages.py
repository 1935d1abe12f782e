"""The web UI's pages through the application: roles, forms, CSRF, errors, and what each page
shows (the browser tests in test_e2e.py drive the same pages in Chromium)."""

from __future__ import annotations

import contextlib
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from corridor.service import audit, monitoring, queue, users
from corridor.store import SqlStore
from tests.web.conftest import ROLES, SAMPLES, Session, password, sign_in

PAGES = tomllib.loads((Path(__file__).parent / "data" / "pages.toml").read_text("utf-8"))["page"]


def _open_alert(store: SqlStore, **filters: Any) -> dict[str, Any]:
    rows, _ = queue.search_alerts(store, queue.AlertFilter(status="open", **filters))
    assert rows, "the sample counterparties raise open alerts"
    return rows[0]


@pytest.mark.parametrize("spec", PAGES, ids=[p["path"] for p in PAGES])
@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(sessions: dict[str, Session], spec: dict[str, Any], role: str) -> None:
    r = sessions[role].get(spec["path"])
    if users.role_at_least(role, spec["role"]):
        assert r.status_code == 200, r.text[:500]
        for text in spec["contains"]:
            assert text in r.text, f"{spec['path']} as {role}: {text!r} missing"
        for text in spec.get("absent", []):
            assert text not in r.text, f"{spec['path']} as {role}: {text!r} present"
        assert r.headers["content-type"].startswith("text/html")
        assert "built-in method" not in r.text and "bound method" not in r.text
        assert "default-src 'self'" in r.headers["content-security-policy"]
    elif "below_redirect" in spec:
        assert r.status_code == 303 and r.headers["location"] == spec["below_redirect"]
    else:
        assert r.status_code == 403
        assert f"needs the {spec['role']} role" in r.text
        assert "<html" in r.text  # an error page of the UI, not JSON


def test_navigation_shows_only_what_the_role_may_open(sessions: dict[str, Session]) -> None:
    client_page = sessions["client"].get("/ui/search").text
    assert 'href="/ui/alerts"' not in client_page and 'href="/ui/audit"' not in client_page
    admin_page = sessions["admin"].get("/ui/search").text
    assert 'href="/ui/alerts"' in admin_page and 'href="/ui/audit"' in admin_page


def test_signed_out_pages_send_to_sign_in_and_back(web_app: Any) -> None:
    client = TestClient(web_app, follow_redirects=False)
    r = client.get("/ui/alerts?severity=high")
    assert r.status_code == 303
    assert r.headers["location"] == "/ui/login?next=%2Fui%2Falerts%3Fseverity%3Dhigh"
    r = client.post(
        "/ui/login",
        data={"username": "analyst1", "password": password("analyst"), "next": "/ui/alerts"},
    )
    assert r.status_code == 303 and r.headers["location"] == "/ui/alerts"
    assert "HttpOnly" in r.headers["set-cookie"] and "SameSite=strict" in r.headers["set-cookie"]


@pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example", "/api"])
def test_sign_in_never_redirects_off_the_ui(web_app: Any, target: str) -> None:
    client = TestClient(web_app, follow_redirects=False)
    r = client.post(
        "/ui/login",
        data={"username": "admin1", "password": password("admin"), "next": target},
    )
    assert r.headers["location"] == "/ui/"


def test_wrong_password_shows_the_form_again(web_app: Any) -> None:
    client = TestClient(web_app, follow_redirects=False)
    r = client.post("/ui/login", data={"username": "analyst1", "password": "not-the-password"})
    assert r.status_code == 401
    assert "Sign in" in r.text and 'class="error"' in r.text
    assert "corridor_session" not in r.headers.get("set-cookie", "")


def test_client_starts_on_search(web_app: Any) -> None:
    client = TestClient(web_app, follow_redirects=False)
    r = client.post("/ui/login", data={"username": "client1", "password": password("client")})
    assert r.headers["location"] == "/ui/search"


def test_sign_out_ends_the_session(web_app: Any) -> None:
    s = sign_in(web_app, "analyst2", "analyst")
    r = s.post("/ui/logout")
    assert r.status_code == 303
    assert s.get("/ui/alerts").status_code == 303  # back to the sign-in page


def test_a_decision_from_the_case_view(web_store: SqlStore, sessions: dict[str, Session]) -> None:
    alert = _open_alert(web_store, severity="medium")
    page = sessions["analyst"].get(f"/ui/alerts/{alert['id']}").text
    for text in (
        "Counterparty and listed party",
        "Why it scored",
        "Case history",
        "Record decision",
        "Listings of this party",
        "(high from 4, medium from 2.5)",  # the severity's reasons
    ):
        assert text in page
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version is not None
    r = sessions["analyst"].post(
        f"/ui/alerts/{alert['id']}/decide",
        {"decision": "false_positive", "reason": "different date of birth", "version": version[1]},
    )
    assert r.status_code == 303
    # the flash says what was done, in words, on the next alert to work
    following = r.headers["location"]
    assert following.startswith("/ui/alerts/") and f"/ui/alerts/{alert['id']}?" not in following
    done = sessions["analyst"].get(following).text
    flash = re.search(r'<p class="notice" role="status">([^<]*)</p>', done)
    assert flash is not None
    assert flash[1] == (
        f"Alert {alert['id']}: false positive recorded; closed. This is the next alert to work."
    )
    decided = monitoring.get_alert(web_store, alert["id"])
    assert decided["status"] == "false_positive"
    assert decided["decisions"][-1]["reason"] == "different date of birth"
    entries = [e for e in audit.iter_entries(web_store) if e["object"] == f"alert:{alert['id']}"]
    assert entries[-1]["action"] == "alert.decide" and entries[-1]["actor"] == "analyst1"


def test_a_stale_form_is_refused(web_store: SqlStore, sessions: dict[str, Session]) -> None:
    alert = _open_alert(web_store)
    r = sessions["analyst"].post(
        f"/ui/alerts/{alert['id']}/decide",
        {"decision": "escalate", "reason": "looks right", "version": alert["version"] + 5},
    )
    assert r.status_code == 409 and "changed since you read it" in r.text
    assert monitoring.get_alert(web_store, alert["id"])["status"] == "open"


def test_forms_without_the_csrf_token_change_nothing(
    web_store: SqlStore, sessions: dict[str, Session]
) -> None:
    alert = _open_alert(web_store)
    client = sessions["analyst"].client
    r = client.post(
        f"/ui/alerts/{alert['id']}/decide",
        data={"decision": "true_match", "reason": "x", "version": alert["version"], "csrf": "bad"},
    )
    assert r.status_code == 403 and "security token" in r.text
    assert monitoring.get_alert(web_store, alert["id"])["status"] == "open"


def test_a_decision_needs_a_reason(web_store: SqlStore, sessions: dict[str, Session]) -> None:
    alert = _open_alert(web_store)
    r = sessions["analyst"].post(
        f"/ui/alerts/{alert['id']}/decide",
        {"decision": "true_match", "reason": "  ", "version": alert["version"]},
    )
    assert r.status_code == 400 and "a decision needs a reason" in r.text


def test_bulk_assignment(web_store: SqlStore, sessions: dict[str, Session]) -> None:
    rows, _ = queue.search_alerts(web_store, queue.AlertFilter(status=queue.ANY_OPEN))
    ids = [str(a["id"]) for a in rows[:3]]
    r = sessions["analyst"].post("/ui/alerts/assign", {"alert": ids, "assignee": "analyst2"})
    assert r.status_code == 403  # supervisors assign
    r = sessions["supervisor"].post(
        "/ui/alerts/assign",
        {"alert": ids, "assignee": "analyst2", "back": "/ui/alerts?severity=high"},
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/ui/alerts?severity=high&done=assigned+3"
    mine = sessions["analyst"].get("/ui/alerts?status=&assignee=analyst2").text
    assert all(f'href="/ui/alerts/{i}"' in mine for i in ids)
    r = sessions["supervisor"].post("/ui/alerts/assign", {"alert": ids, "assignee": "nobody-x"})
    assert r.status_code == 404


def test_queue_filters_and_sorting(web_store: SqlStore, sessions: dict[str, Session]) -> None:
    page = sessions["analyst"].get("/ui/alerts?status=&severity=high&source=us_ofac_sdn").text
    assert re.search(r"(\d+) matching", page)
    shown = re.findall(r'<span class="badge (high|medium)">', page)
    assert shown and set(shown) == {"high"}
    page = sessions["analyst"].get("/ui/alerts?status=&sort=score&order=asc").text
    scores = [float(s) for s in re.findall(r'data-score="([0-9.]+)"', page)]
    assert scores == sorted(scores)
    page = sessions["analyst"].get("/ui/alerts?status=&q=steppe").text
    assert "Steppe Logistics TOO" in page and "Bank Rossiya" not in page
    r = sessions["analyst"].get("/ui/alerts?age=forever")
    assert r.status_code == 400 and "age" in r.text


def test_shipments_upload_and_report(web_store: SqlStore, sessions: dict[str, Session]) -> None:
    s = sessions["analyst"]
    with (
        (SAMPLES / "ledger.csv").open("rb") as ledger,
        (SAMPLES / "companies.csv").open("rb") as companies,
    ):
        r = s.post(
            "/ui/shipments",
            {"as_of": "2025-01-15"},
            files={"ledger": ("ledger.csv", ledger), "companies": ("companies.csv", companies)},
        )
    assert r.status_code == 303, r.text[:400]
    report = s.get(r.headers["location"]).text
    for text in ("prohibited", "Per jurisdiction", "Re-export chains", "Red flags", "timeline"):
        assert text in report
    assert '<circle class="import"' in report  # the chain drawn as a timeline
    assert "built-in method" not in report
    assert re.search(r"<td>US</td><td class=\"num\">\d+</td><td class=\"num\">\d+</td>", report)
    # evidence in words, never raw JSON; every prohibited document open; tiles that say
    # they filter
    evidence = " ".join(re.findall(r'<dl class="evidence">(.*?)</dl>', report, re.S))
    assert evidence and not re.search(r'\{&#34;|\[&#34;|\{"|\["|<dd>(true|false)</dd>', evidence)
    prohibited = report.count('<details class="doc result-prohibited"')
    assert prohibited > 3 and report.count('<details class="doc result-prohibited" open>') == (
        prohibited
    )
    assert "show only the prohibited documents" in report.lower()
    only = s.get(r.headers["location"] + "?result=clear").text
    assert 'result-prohibited"' not in only.split('id="documents"')[1]
    dashboard = s.get("/ui/").text
    assert "No screened shipments" not in dashboard
    assert 'polyline class="line' in dashboard  # high-priority goods flows over time


def test_the_upload_form_lists_the_columns(sessions: dict[str, Session]) -> None:
    page = sessions["analyst"].get("/ui/shipments").text
    for column in ("doc_id", "hs_code", "transit_countries", "registration_id", "activity_code"):
        assert f"<code>{column}</code>" in page


def test_a_bad_upload_is_named(sessions: dict[str, Session]) -> None:
    r = sessions["analyst"].post("/ui/shipments", files={"ledger": ("notes.txt", b"hello")})
    assert r.status_code == 400 and "notes.txt" in r.text


def test_unknown_things_give_the_not_found_page(sessions: dict[str, Session]) -> None:
    for path in ("/ui/alerts/999999", "/ui/entities/ofac-0", "/ui/ownership?entity=nobody"):
        r = sessions["admin"].get(path)
        assert r.status_code == 404 and "Not found" in r.text, path


def test_the_api_stays_json(sessions: dict[str, Session]) -> None:
    r = sessions["admin"].get("/alerts/999999")
    assert r.status_code == 404 and r.json()["error"]["code"]


def test_update_now_downloads_and_rescreens(
    web_store: SqlStore,
    sessions: dict[str, Session],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The lists page's button downloads the configured sources (here a local server with a
    FollowTheMoney list) and shows what changed."""
    import json

    from tests.list_server import serving

    body = (
        json.dumps(
            {
                "id": "watch-1",
                "schema": "Person",
                "properties": {"name": ["Gulnara Sadykova"], "topics": ["sanction"]},
            }
        )
        + "\n"
    ).encode()

    with serving({"body": body}) as base:
        sources = tmp_path / "sources.toml"
        sources.write_text(f'[sources.watch]\nurl = "{base}/w.json"\nformat = "ftm_json"\n')
        monkeypatch.setenv("CORRIDOR_SOURCES", str(sources))
        monkeypatch.setenv("CORRIDOR_DATA_DIR", str(tmp_path / "data"))
        assert sessions["analyst"].post("/ui/lists/update").status_code == 403
        r = sessions["supervisor"].post("/ui/lists/update")
        assert r.status_code == 303
        page = sessions["supervisor"].get(r.headers["location"]).text
        assert "watch: updated" in page and "re-screened 1 counterparties" in page
        assert 'href="/ui/lists/watch"' in page
        diff = sessions["supervisor"].get("/ui/lists/watch").text
        assert "Gulnara Sadykova" in diff  # added in the first version
        rows, _ = queue.search_alerts(web_store, queue.AlertFilter(source="watch"))
        assert [a["counterparty"] for a in rows] == ["Gulnara Sadykova"]


def test_rows_not_read_are_named_by_the_uploaded_file(sessions: dict[str, Session]) -> None:
    s = sessions["analyst"]
    body = b"doc_id,date,hs_code\nX-1,2024-01-01,8542.31\n"
    r = s.post("/ui/shipments", files={"ledger": ("my documents.csv", body)})
    assert r.status_code == 303
    report = s.get(r.headers["location"]).text
    assert "Rows not read" in report
    assert "my_documents.csv: line 2" in report and "names no party" in report


def test_a_failed_update_shows_as_a_failure_with_its_reason(
    sessions: dict[str, Session], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[sources.gone]\nurl = "http://127.0.0.1:9/gone.xml"\nformat = "un_xml"\n')
    monkeypatch.setenv("CORRIDOR_SOURCES", str(sources))
    monkeypatch.setenv("CORRIDOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CORRIDOR_FETCH_TIMEOUT", "2")
    r = sessions["supervisor"].post("/ui/lists/update")
    page = sessions["supervisor"].get(r.headers["location"]).text
    assert 'class="error" role="alert"><strong>Update failed:</strong> gone: failed:' in page
    assert 'class="notice"' not in page.split("Update failed")[1].split("</p>")[0]


def test_a_stored_version_is_made_active_from_the_list_page(
    web_store: SqlStore, sessions: dict[str, Session], shared: Path
) -> None:
    from corridor.exceptions import VersionHeld
    from corridor.service import load_list

    excerpt = shared / "format_excerpts/deriv-com_perl-Data-Validate-Sanctions/sample_unsc.xml"
    before = web_store.active_version("un_sc")
    assert before is not None
    with pytest.raises(VersionHeld) as held:
        load_list(web_store, excerpt, source="un_sc")
    held_id = held.value.version
    page = sessions["supervisor"].get("/ui/lists/un_sc").text
    assert f'name="version" value="{held_id}"' in page and "Make active" in page
    assert "Make active" not in sessions["analyst"].get("/ui/lists/un_sc").text
    assert (
        sessions["analyst"].post("/ui/lists/un_sc/activate", {"version": str(held_id)}).status_code
        == 403
    )
    r = sessions["supervisor"].post("/ui/lists/un_sc/activate", {"version": str(held_id)})
    assert r.status_code == 303
    assert (
        f"version {held_id} is now the active version"
        in sessions["supervisor"].get(r.headers["location"]).text
    )
    assert web_store.active_version("un_sc").id == held_id  # type: ignore[union-attr]
    r = sessions["supervisor"].post("/ui/lists/un_sc/activate", {"version": str(before.id)})
    assert r.status_code == 303 and web_store.active_version("un_sc").id == before.id  # type: ignore[union-attr]
    r = sessions["supervisor"].post("/ui/lists/un_sc/activate", {"version": str(2**63)})
    assert r.status_code == 400 and "whole number" in r.text


def _gzip_rows(header: bytes, row: bytes, count: int) -> bytes:
    import zlib

    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = row * 10_000
    out = [comp.compress(header)]
    out += [comp.compress(block) for _ in range(count // 10_000)]
    return b"".join(out) + comp.flush()


@pytest.mark.parametrize(
    ("name", "body", "says"),
    [
        (
            "bad.csv.gz",
            _gzip_rows(b"doc_id,date,seller\n", b"x\n", 5_000_000),
            "rows could not be read",
        ),
        (
            "many.csv.gz",
            _gzip_rows(b"doc_id,date,seller\n", b"D,2024-01-01,S\n", 2_000_000),
            "at most 50,000 in one screening",
        ),
        (
            "bad.csv",
            b"doc_id,date,seller\n" + b"x\n" * 20_000,
            "more than 10,000 rows could not be read",
        ),
        ("field.csv", b'doc_id,date,seller\nD1,2024-01-01,"' + b"s" * 3_000_000 + b'"\n', "longer"),
        (
            "laughs.xlsx",
            b"PK\x03\x04" + b"\x00" * 100,
            "zip",
        ),
    ],
    ids=["5M bad rows gz", "2M good rows gz", "20k bad rows", "3 MB field", "broken xlsx"],
)
def test_hostile_uploads_are_4xx(
    sessions: dict[str, Session], name: str, body: bytes, says: str
) -> None:
    import time

    t0 = time.perf_counter()
    r = sessions["analyst"].post("/ui/shipments", files={"ledger": (name, body)})
    assert 400 <= r.status_code < 500, r.text[:300]
    assert says in r.text
    assert time.perf_counter() - t0 < 10


def test_long_upload_names_are_kept_within_limits(sessions: dict[str, Session]) -> None:
    name = "贸易单据" * 21 + ".csv"  # 85 CJK characters: 255 bytes and more in UTF-8
    body = b"doc_id,date,hs_code\nX-1,2024-01-01,8542.31\n"
    r = sessions["analyst"].post("/ui/shipments", files={"ledger": (name, body)})
    assert r.status_code == 303


def test_the_entity_page_shows_identifiers_and_facts(sessions: dict[str, Session]) -> None:
    r = sessions["client"].get("/ui/entities/ofac-16681")
    assert r.status_code == 200
    assert "<h3>Identifiers</h3>" in r.text and "OGRN" in r.text
    assert "1027800000084" in r.text


def test_a_list_diff_is_paged_with_old_and_new_values(
    web_store: SqlStore, sessions: dict[str, Session], shared: Path
) -> None:
    from corridor.exceptions import CorridorError
    from corridor.service import list_versions, load_list

    excerpt = shared / "format_excerpts/deriv-com_perl-Data-Validate-Sanctions/sample_unsc.xml"
    active = web_store.active_version("un_sc")
    assert active is not None
    with contextlib.suppress(CorridorError):  # held back: it would remove most entities
        load_list(web_store, excerpt, source="un_sc")
    small = next(v for v in list_versions(web_store, "un_sc") if v.file_name == excerpt.name)
    base = f"/ui/lists/un_sc?from_version={active.id}&to_version={small.id}"
    first = sessions["client"].get(base).text
    assert "1–100 of" in first and "next 100 →" in first and "← previous" not in first
    second = sessions["client"].get(base + "&removed_page=1").text
    assert "101–200 of" in second and "← previous 100" in second
    assert "<del>" in first and "<ins>" in first  # changed fields with their values


def test_an_entity_removed_from_its_list_still_opens(
    web_store: SqlStore, sessions: dict[str, Session], tmp_path: Path
) -> None:
    from corridor.service import diff_versions, load_list

    line = (
        '{"id": "%s", "schema": "Person", "properties": {"name": ["%s"], "topics": ["sanction"]}}\n'
    )
    first, second = tmp_path / "v1.ftm.json", tmp_path / "v2.ftm.json"
    first.write_text(line % ("t-1", "Aliya Test Person") + line % ("t-2", "Bolat Gone Person"))
    second.write_text(line % ("t-1", "Aliya Test Person"))
    v1 = load_list(web_store, first, source="test_removed").version
    v2 = load_list(web_store, second, source="test_removed", force=True).version
    assert v1 is not None and v2 is not None
    gone = diff_versions(web_store, "test_removed", v1.id, v2.id).removed
    assert [g.entity_id for g in gone] == ["ftm-t-2"] or len(gone) == 1
    diff = sessions["client"].get(f"/ui/lists/test_removed?from_version={v1.id}").text
    assert f'href="/ui/entities/{gone[0].entity_id}"' in diff
    page = sessions["client"].get(f"/ui/entities/{gone[0].entity_id}")
    assert page.status_code == 200 and "No longer on the active list" in page.text
    assert "Bolat Gone Person" in page.text


def test_a_link_is_judged_from_the_ui(web_store: SqlStore, sessions: dict[str, Session]) -> None:
    """An analyst splits two records of one profile: audited, said in words, and screening
    follows; a client may not, nor a form without its security token."""
    members: dict[str, list[str]] = {}
    for eid, pid in web_store.profile_map().items():
        members.setdefault(pid, []).append(eid)
    a, b = next(sorted(m)[:2] for m in members.values() if len(m) >= 2)
    form = {"a": a, "b": b, "verdict": "different", "reason": "two people", "back": "/ui/alerts"}
    assert sessions["client"].post("/ui/profiles/judge", form).status_code == 403
    bad = sessions["analyst"].client.post("/ui/profiles/judge", data={**form, "csrf": "bad"})
    assert bad.status_code == 403
    assert web_store.profile_of(a) == web_store.profile_of(b)
    r = sessions["analyst"].post("/ui/profiles/judge", form)
    assert r.status_code == 303 and r.headers["location"].startswith("/ui/alerts?done=")
    page = sessions["analyst"].get(r.headers["location"]).text
    assert f"Recorded: {a} and {b} are different parties" in page
    assert web_store.profile_of(a) != web_store.profile_of(b)
    entries = [e for e in audit.iter_entries(web_store) if e["action"] == "profile.judge"]
    assert entries[-1]["actor"] == "analyst1" and entries[-1]["detail"]["b"] in (a, b)
    sessions["analyst"].post("/ui/profiles/judge", {**form, "verdict": "same"})
    assert web_store.profile_of(a) == web_store.profile_of(b)


def test_the_entity_page_shows_the_party_on_other_lists(
    web_store: SqlStore, sessions: dict[str, Session]
) -> None:
    members: dict[str, list[str]] = {}
    for eid, pid in web_store.profile_map().items():
        members.setdefault(pid, []).append(eid)
    a, b = next(sorted(m)[:2] for m in members.values() if len(m) >= 2)
    page = sessions["client"].get(f"/ui/entities/{a}").text
    assert "The same party on other lists" in page
    assert f'href="/ui/entities/{b}"' in page
    assert re.search(r"<li>[\w-]+ = [\w-]+: \w", page)  # each link with why
