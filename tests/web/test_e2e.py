"""End to end in headless Chromium (Playwright driving the system's Chromium): an analyst
signs in, screens a party, decides an alert, uploads a file of trade documents and reads the
dashboard; then every page is opened at desktop and phone sizes, with no console error and
nothing wider than the screen. Screenshots go to .artifacts/screenshots (CORRIDOR_ARTIFACTS).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corridor.service import monitoring, queue
from corridor.store import SqlStore
from tests.web.conftest import SAMPLES, build_store, password

PAGES = tomllib.loads((Path(__file__).parent / "data" / "pages.toml").read_text("utf-8"))["page"]
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


def _slug(path: str) -> str:
    """A screenshot's name for a page: its path and query in letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", path.removeprefix("/ui").lower()).strip("-") or "home"


@pytest.fixture(scope="module")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlStore]:
    """The browser tests run over the embedded default store (test_pages.py renders every
    page over PostgreSQL as well)."""
    store = build_store(f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'corridor.db'}")
    yield store
    store.close()


class Tab:
    """A browser page that records console errors and failed requests."""

    def __init__(self, browser: Any, base: str, size: tuple[int, int]) -> None:
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        self.page = self.context.new_page()
        self.base = base
        self.problems: list[str] = []
        self.page.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on(
            "response",
            lambda r: self.problems.append(f"{r.status} {r.url}") if r.status >= 500 else None,
        )

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        self.page.wait_for_load_state("load")
        return response

    def sign_in(self, username: str, role: str) -> None:
        if "/ui/login" not in self.page.url:
            self.open("/ui/login")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password(role))
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state("load")

    def overflow(self) -> int:
        """How far the page is wider than the screen (0 when it fits)."""
        return int(
            self.page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
        )

    def shot(self, folder: Path, name: str) -> None:
        self.page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.fixture
def desktop(browser: Any, live_server: str) -> Iterator[Tab]:
    tab = Tab(browser, live_server, SIZES["desktop"])
    yield tab
    tab.context.close()


def test_an_analysts_day(desktop: Tab, web_store: SqlStore, screenshots: Path) -> None:
    page = desktop.page
    # sign in: the dashboard is the home page
    desktop.open("/ui/alerts")
    assert "/ui/login" in page.url
    desktop.sign_in("supervisor1", "supervisor")
    page.wait_for_url("**/ui/alerts")
    desktop.open("/ui/")
    assert page.locator("h1").inner_text() == "Dashboard"
    assert page.locator("#chart-alerts svg.chart rect").count() > 0
    desktop.shot(screenshots, "01-dashboard")

    # a screening from the search page
    page.click("nav >> text=Search")
    page.fill("input[name=name]", "Дерипаска Олег")
    page.select_option("select[name=kind]", "person")
    page.click("#search button[type=submit]")
    page.wait_for_load_state("load")
    first = page.locator("article.result").first
    assert "DERIPASKA" in first.locator("h3").inner_text()
    assert first.locator("mark.pair").count() >= 2  # aligned words highlighted
    desktop.shot(screenshots, "02-search")

    # the queue: one line an alert, at least 15 of them on a 1280x800 screen
    desktop.open("/ui/alerts?status=")
    boxes = [row.bounding_box() for row in page.locator("table.queue tbody tr").all()]
    assert len(boxes) >= 10 and all(b is not None for b in boxes)
    heights = sorted(b["height"] for b in boxes if b)
    row = heights[len(heights) // 2]
    assert row <= 30, f"queue rows {row:.0f} px high: they wrap"
    first_top = boxes[0]["y"] if boxes[0] else 0.0
    fit = int((SIZES["desktop"][1] - first_top) // row)
    assert fit >= 15, f"{fit} alerts fit on a 1280x800 screen"
    listed = page.locator("table.queue td.listings").first.inner_text()
    assert listed.strip()  # the lists naming the party
    desktop.shot(screenshots, "03-queue-all")

    # the queue: high-severity alerts, then one of them decided
    page.click("nav >> text=Alerts")
    page.select_option("select[name=severity]", "high")  # applies at once
    page.wait_for_url("**severity=high**")
    assert page.locator("table.queue tbody tr").count() > 0
    page.check("[data-select-all]")
    assert page.locator("[data-selected-count]").inner_text() != "0"
    desktop.shot(screenshots, "03-queue")
    rows, _ = queue.search_alerts(web_store, queue.AlertFilter(status="open", severity="high"))
    alert = rows[0]
    page.click(f'a[href="/ui/alerts/{alert["id"]}"]')
    page.wait_for_load_state("load")
    assert page.locator("#compare").is_visible() and page.locator("#score").is_visible()
    page.check("input[name=decision][value=true_match]")
    page.fill("textarea[name=reason]", "same person: name, nationality and date of birth agree")
    page.click("#decide button[type=submit]")
    page.wait_for_load_state("load")
    flash = page.locator("p.notice").first.inner_text()
    assert flash.startswith(f"Alert {alert['id']}: true match recorded; closed.")
    assert monitoring.get_alert(web_store, alert["id"])["status"] == "true_match"
    desktop.shot(screenshots, "04-decided")

    # a file of trade documents: results per jurisdiction, flags, the chains' timeline
    page.click("nav >> text=Shipments")
    page.set_input_files("input[name=ledger]", str(SAMPLES / "ledger.csv"))
    page.set_input_files("input[name=companies]", str(SAMPLES / "companies.csv"))
    page.fill("input[name=as_of]", "2025-01-15")
    page.click("#upload button[type=submit]")
    page.wait_for_url("**/ui/shipments/*")
    assert page.locator("details.doc").count() > 0
    assert page.locator("#chains svg.timeline circle.import").count() > 0
    page.locator("details.doc").first.locator("summary").click()
    desktop.shot(screenshots, "05-shipments")

    # the dashboard now charts the decision and the high-priority goods flows
    page.click("nav >> text=Dashboard")
    page.wait_for_load_state("load")
    assert page.locator("#chart-flows polyline.line").count() > 0
    assert page.locator("#chart-decisions rect.dec-true_match").count() > 0
    desktop.shot(screenshots, "06-dashboard-after")
    assert desktop.problems == []


@pytest.mark.parametrize("size", sorted(SIZES))
def test_every_page_fits_and_runs_clean(
    browser: Any, live_server: str, web_store: SqlStore, screenshots: Path, size: str
) -> None:
    tab = Tab(browser, live_server, SIZES[size])
    try:
        tab.sign_in("admin1", "admin")
        rows, _ = queue.search_alerts(web_store, queue.AlertFilter())
        paths = [p["path"] for p in PAGES] + [f"/ui/alerts/{rows[0]['id']}", "/ui/login?x=1"]
        for path in paths:
            response = tab.open(path)
            assert response is not None and response.status == 200, path
            assert tab.overflow() <= 1, f"{path} is {tab.overflow()} px wider than a {size}"
            tab.shot(screenshots, f"{size}-{_slug(path)}")
            if path == "/ui/":  # chart labels stay legible: the chart scrolls, never shrinks
                smallest = tab.page.evaluate(
                    "Math.min(...[...document.querySelectorAll('svg.chart text')]"
                    ".map(t => t.getBoundingClientRect().height).filter(h => h > 0))"
                )
                assert smallest >= 9, f"chart labels {smallest:.1f} px high on a {size}"
        assert tab.problems == []
    finally:
        tab.context.close()
