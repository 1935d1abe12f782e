"""The ownership and control graph around one party, laid out in layers (owners above,
holdings below) and drawn as SVG, with the paths that decide its status under a
jurisdiction drawn heavier."""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from markupsafe import Markup

from corridor.model.ownership import EdgeKind, OwnershipEdge, format_share
from corridor.ownership.evaluate import Evaluation, Finding, Status, status_words

NODE_W, NODE_H, GAP_X, GAP_Y, PAD = 208, 64, 32, 70, 16
LINE = 29  # characters of a node's line of text (12 px type in a 208 px box)
MAX_UP, MAX_DOWN, MAX_NODES = 4, 2, 48


@dataclass
class Adjacency:
    up: dict[str, list[OwnershipEdge]]  # owned -> edges from its owners
    down: dict[str, list[OwnershipEdge]]  # owner -> edges to what it holds


def adjacency(ev: Evaluation) -> Adjacency:
    up: dict[str, list[OwnershipEdge]] = defaultdict(list)
    down: dict[str, list[OwnershipEdge]] = defaultdict(list)
    for edge in ev.graph.edges:
        up[edge.owned].append(edge)
        down[edge.owner].append(edge)
    return Adjacency(dict(up), dict(down))


def _neighbourhood(adj: Adjacency, focus: str, must: set[str]) -> dict[str, int]:
    level = {focus: 0}
    for direction, limit, sign in ((adj.up, MAX_UP, -1), (adj.down, MAX_DOWN, 1)):
        queue = deque([(focus, 0)])
        while queue and len(level) < MAX_NODES:
            node, depth = queue.popleft()
            if depth >= limit:
                continue
            for edge in direction.get(node, ()):
                other = edge.owner if sign < 0 else edge.owned
                if other not in level:
                    level[other] = sign * (depth + 1)
                    queue.append((other, depth + 1))
    # the parties on a deciding path are always drawn, however far
    for party in must - level.keys():
        level[party] = -MAX_UP - 1
    return level


def _wrap(text: str, width: int, lines: int) -> list[str]:
    """``text`` in at most ``lines`` lines of ``width`` characters, broken between words; only
    what still does not fit ends in an ellipsis (the node's tooltip has it whole)."""
    out: list[str] = []
    rest = text.split()
    while rest and len(out) < lines:
        line = rest.pop(0)
        while rest and len(line) + 1 + len(rest[0]) <= width:
            line += " " + rest.pop(0)
        out.append(line)
    if rest or any(len(line) > width for line in out):
        last = " ".join([out[-1], *rest]) if out else text
        out[-1] = last if len(last) <= width else last[: width - 1] + "…"
    return out or [""]


def _share(edge: OwnershipEdge) -> str:
    if edge.kind is not EdgeKind.OWNERSHIP:
        return (edge.control_type.value if edge.control_type else "control").replace("_", " ")
    return format_share(edge.share_min, edge.share_max)


def _path_edges(finding: Finding | None) -> set[tuple[str, str]]:
    edges: set[tuple[str, str]] = set()
    if finding is None:
        return edges
    for path in finding.paths:
        for a, b in zip(path, path[1:], strict=False):
            edges.add((str(a["id"]), str(b["id"])))
    return edges


def ownership_picture(
    ev: Evaluation, adj: Adjacency, focus: str, code: str, finding: Finding | None
) -> Markup:
    on_path = _path_edges(finding)
    must = {p for pair in on_path for p in pair}
    level = _neighbourhood(adj, focus, must)
    layers: dict[int, list[str]] = defaultdict(list)
    for node, lv in level.items():
        layers[lv].append(node)
    order = sorted(layers)
    # order each layer by the mean position of its neighbours in the layer before it
    position: dict[str, float] = {}
    for lv in order:

        def key(n: str) -> tuple[float, str]:
            near = [position[e.owner] for e in adj.up.get(n, ()) if e.owner in position] + [
                position[e.owned] for e in adj.down.get(n, ()) if e.owned in position
            ]
            return (sum(near) / len(near) if near else 0.0, ev.graph.name(n).lower())

        layers[lv].sort(key=key)
        for i, n in enumerate(layers[lv]):
            position[n] = i - (len(layers[lv]) - 1) / 2
    widest = max(len(v) for v in layers.values())
    width = max(NODE_W + 2 * PAD, widest * (NODE_W + GAP_X) - GAP_X + 2 * PAD)
    height = len(order) * (NODE_H + GAP_Y) - GAP_Y + 2 * PAD
    xy: dict[str, tuple[float, float]] = {}
    for row, lv in enumerate(order):
        top = float(PAD + row * (NODE_H + GAP_Y))
        for n in layers[lv]:
            xy[n] = (width / 2 + position[n] * (NODE_W + GAP_X) - NODE_W / 2, top)
    body: list[str] = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>'
        "</defs>"
    ]
    drawn = [e for n in level for e in adj.down.get(n, ()) if e.owned in xy]
    outs: dict[str, list[OwnershipEdge]] = defaultdict(list)
    ins: dict[str, list[OwnershipEdge]] = defaultdict(list)
    for edge in drawn:
        outs[edge.owner].append(edge)
        ins[edge.owned].append(edge)
    for group in outs.values():
        group.sort(key=lambda e: xy[e.owned][0])
    for group in ins.values():
        group.sort(key=lambda e: xy[e.owner][0])

    def spread(edges: list[OwnershipEdge], edge: OwnershipEdge) -> float:
        return NODE_W * (edges.index(edge) + 1) / (len(edges) + 1)

    for edge in drawn:
        (x1, y1), (x2, y2) = xy[edge.owner], xy[edge.owned]
        ax, ay = x1 + spread(outs[edge.owner], edge), y1 + NODE_H
        bx, by = x2 + spread(ins[edge.owned], edge), y2
        if y2 <= y1:  # an edge back up the layers (a cycle): from the side
            ax, ay, by = x1 + NODE_W, y1 + NODE_H / 2, y2 + NODE_H / 2
            bx = x2 + NODE_W
        cls = "edge"
        if (edge.owner, edge.owned) in on_path:
            cls += " path"
        if edge.kind is not EdgeKind.OWNERSHIP:
            cls += " control"
        label = _share(edge)
        mx, my = (ax + bx) / 2, (ay + by) / 2
        body.append(
            f'<line class="{cls}" x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" '
            f'marker-end="url(#arrow)"><title>{escape(ev.graph.name(edge.owner))} → '
            f"{escape(ev.graph.name(edge.owned))}: {escape(label)}</title></line>"
            f'<text class="edge-label" x="{mx + 4:.1f}" y="{my + 4:.1f}">{escape(label)}</text>'
        )
    for node, (x, y) in xy.items():
        status = ev.status(node, code).value if node in ev.graph.index else "not_blocked"
        listing = ev.graph.designations.get(node)
        designated = listing is not None and code in listing.jurisdictions
        if designated:
            cls = "node designated"
        elif listing is not None:
            cls = "node listed-other " + status.replace("_", "-")
        else:
            cls = "node " + status.replace("_", "-")
        if node == focus:
            cls += " focus"
        name = ev.graph.name(node)
        sub = "designated" if designated else status_words(code, Status(status))
        if listing is not None and not designated:
            sub = f"listed elsewhere: {listing.list}"
        href = f"?entity={quote(node)}&amp;j={code}"
        lines = "".join(
            f'<text x="{x + 8:.1f}" y="{y + 17 + 15 * i:.1f}">{escape(line)}</text>'
            for i, line in enumerate(_wrap(name, LINE, 2))
        )
        body.append(
            f'<a href="{href}"><g class="{cls}"><rect x="{x:.1f}" y="{y:.1f}" width="{NODE_W}" '
            f'height="{NODE_H}" rx="6"/>{lines}'
            f'<text class="sub" x="{x + 8:.1f}" y="{y + 55:.1f}">'
            f"{escape(_wrap(sub, LINE + 6, 1)[0])}</text>"
            f"<title>{escape(name)} ({escape(node)}): {escape(sub)}</title></g></a>"
        )
    svg = (
        f'<svg class="graph" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" role="img" aria-label="Ownership graph">'
        f"{''.join(body)}</svg>"
    )
    return Markup(svg)
