"""Re-export chains drawn as a timeline: each chain a lane, its imports as dots at their
dates joined to the export that drew on them."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from markupsafe import Markup

WIDTH, LANE, LEFT, RIGHT, TOP = 900, 56, 230, 30, 28


def chains_timeline(chains: list[dict[str, Any]]) -> Markup:
    if not chains:
        return Markup('<p class="empty">No re-export chains in this file.</p>')
    days = [date.fromisoformat(link["date"][:10]) for c in chains for link in c["imports"]]
    days += [date.fromisoformat(c["export_date"][:10]) for c in chains]
    start, end = min(days), max(days)
    span = max(1, (end - start).days)
    plot = WIDTH - LEFT - RIGHT

    def x(day: str) -> float:
        return LEFT + plot * (date.fromisoformat(day[:10]) - start).days / span

    height = TOP + LANE * len(chains) + 10
    body = [
        f'<text class="tick" x="{LEFT}" y="14">{start.isoformat()}</text>',
        f'<text class="tick" x="{WIDTH - RIGHT}" y="14" text-anchor="end">{end.isoformat()}</text>',
        f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="20" y2="20"/>',
    ]
    for i, c in enumerate(chains):
        y = TOP + i * LANE + LANE / 2
        label = f"{c['company']} · HS {c['hs6']} → {c['destination']}"
        short = label if len(label) <= 34 else label[:33] + "…"
        share = f"{float(c.get('share', 0)):.0%}"
        body.append(
            f'<text class="tick" x="{LEFT - 10}" y="{y - 4:.1f}" text-anchor="end">'
            f"{escape(short)}<title>{escape(label)}</title></text>"
            f'<text class="sub" x="{LEFT - 10}" y="{y + 12:.1f}" text-anchor="end">'
            f"{share} of the export, {int(c.get('days', 0))} days</text>"
        )
        ex = x(c["export_date"])
        for link in c["imports"]:
            ix = x(link["date"])
            body.append(
                f'<line class="link" x1="{ix:.1f}" y1="{y:.1f}" x2="{ex:.1f}" y2="{y:.1f}"/>'
                f'<circle class="import" cx="{ix:.1f}" cy="{y:.1f}" r="6"><title>import '
                f"{escape(link['doc_id'])} on {escape(link['date'])} by "
                f"{escape(link['company'])}: {link['quantity']:g} {escape(c.get('unit') or '')}"
                f"</title></circle>"
            )
        body.append(
            f'<rect class="export" x="{ex - 7:.1f}" y="{y - 7:.1f}" width="14" height="14" '
            f'transform="rotate(45 {ex:.1f} {y:.1f})"><title>export {escape(c["export_doc"])} '
            f"on {escape(c['export_date'])} to {escape(c['destination'])}: "
            f"{c['export_quantity']:g} {escape(c.get('unit') or '')}</title></rect>"
        )
    svg = (
        f'<svg class="chart timeline" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="Re-export chains"><title>Re-export chains</title>{"".join(body)}</svg>'
    )
    legend = (
        '<ul class="legend"><li><span class="swatch import"></span>import</li>'
        '<li><span class="swatch export"></span>export to a restricted destination</li></ul>'
    )
    return Markup(svg + legend)
