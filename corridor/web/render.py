"""Templates (Jinja2, autoescaped) and the helpers every page uses."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse

from corridor.exceptions import InvalidQuery
from corridor.ownership.evaluate import Status, status_words
from corridor.service.users import role_at_least
from corridor.store.versioned import parse_stamp

HERE = Path(__file__).resolve().parent

# (path, label, role needed)
NAV = (
    ("/ui/", "Dashboard", "analyst"),
    ("/ui/alerts", "Alerts", "analyst"),
    ("/ui/search", "Search", "client"),
    ("/ui/shipments", "Shipments", "analyst"),
    ("/ui/payments", "Payments", "analyst"),
    ("/ui/ownership", "Ownership", "client"),
    ("/ui/lists", "Lists", "client"),
    ("/ui/audit", "Audit", "supervisor"),
    ("/ui/users", "Users", "admin"),
)


def when(stamp: str | None) -> str:
    """``2026-11-22T10:04:00Z`` as ``2026-11-22 10:04``."""
    if not stamp:
        return ""
    return stamp.replace("T", " ").rstrip("Z")[:16]


def age(stamp: str | None) -> str:
    if not stamp:
        return ""
    try:
        then = parse_stamp(stamp)
    except ValueError:
        return stamp
    seconds = (datetime.now(UTC) - then).total_seconds()
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{int(seconds // size)} {unit} ago"
    return "just now"


MAX_WHOLE = 2**31 - 1  # ids, pages and versions: what every store column holds


def whole(value: str | None, name: str, default: int) -> int:
    """A whole number from a query or form field (``default`` when empty), from 0 to
    ``MAX_WHOLE``."""
    if value in (None, ""):
        return default
    text = str(value).strip()
    if not text.isdigit() or len(text) > 10 or int(text) > MAX_WHOLE:
        raise InvalidQuery(f"{name} {text[:20]!r}: expected a whole number from 0 to {MAX_WHOLE:,}")
    return int(text)


def words(code: str | None) -> str:
    return (code or "").replace("_", " ")


def value_text(value: Any, figures: bool = False) -> str:
    """A stored value in words, never raw JSON: nothing as a dash, yes and no, lists joined,
    names, addresses and identifiers by their written form, other records as "field: value"
    pairs. ``figures`` rounds numbers for reading (scores to two decimals) and writes a list of
    country codes as a route (PL → BY → RU); without it values stay exact, as the audit trail
    needs them."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if figures and isinstance(value, float):
        return f"{value:,.2f}"
    if figures and isinstance(value, int):
        return f"{value:,}"
    if value is None or value in ("", [], {}):
        return "—"
    if isinstance(value, list):
        if figures and all(isinstance(v, str) and len(v) == 2 and v.isupper() for v in value):
            return " → ".join(value)
        return ", ".join(value_text(v, figures) for v in value)
    if isinstance(value, dict):
        written = value.get("full") or value.get("value")
        if isinstance(written, str) and written:
            return written
        return "; ".join(f"{words(str(k))}: {value_text(v, figures)}" for k, v in value.items())
    return str(value)


def change_text(value: Any) -> str:
    """A field's value in a list diff (cut at 300 characters)."""
    text = value_text(value)
    return text if len(text) <= 300 else text[:299] + "…"


def evidence_text(value: Any) -> str:
    """A red flag's evidence, with figures rounded and routes drawn."""
    return value_text(value, figures=True)


def status_text(jurisdiction: str, status: str) -> str:
    """An ownership status in the words of the jurisdiction's rule: blocked (US), owned or
    controlled (EU, UK), restricted as an affiliate (BIS)."""
    try:
        return status_words(jurisdiction.lower(), Status(status))
    except (KeyError, ValueError):
        return words(status)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        when=when,
        age=age,
        words=words,
        change_text=change_text,
        evidence_text=evidence_text,
        detail_text=value_text,
    )
    # details in their own script (Тоқаев, not \u0422\u043e...); still escaped for HTML
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": True}
    env.globals.update(role_at_least=role_at_least, status_text=status_text)
    return env


def page(
    template: str, context: dict[str, Any], status: int = 200, path: str = "/ui/"
) -> HTMLResponse:
    """Render a page; ``context`` holds ``me`` (the signed-in user or None) and ``csrf``."""
    me = context.get("me")
    nav = [
        (href, label, href == path or (href != "/ui/" and path.startswith(href)))
        for href, label, role in NAV
        if me is not None and role_at_least(me.role, role)
    ]
    html = (
        environment()
        .get_template(template)
        .render({"csrf": "", **context, "nav": nav, "path": path})
    )
    return HTMLResponse(
        html,
        status_code=status,
        headers={
            "Cache-Control": "no-store",
            "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
            "style-src 'self'; script-src 'self'; frame-ancestors 'none'",
            "X-Content-Type-Options": "nosniff",
        },
    )
