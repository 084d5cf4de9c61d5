"""The trust network on the dashboard: its fixed picture layout, a snapshot of the ties
now, and its two figures (agencies, staff) as ECharts options.

Posts are slots that keep their place in the picture when their holder changes, so the
layout is computed once per partnership, with a seeded networkx spring layout: the same
picture in every session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from sim.dashboard.plots import (
    AGENCY_COLOURS,
    FONT,
    MARKER_FONT,
    TITLE_FONT,
    pretty,
)
from sim.viz.palette import NEUTRAL, PARTNERSHIP

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel

LAYOUT_SEED = 20070401  # networkx layout seed: the same picture in every session
CURVE = 0.02  # ECharts 5.4 misplaces some straight graph edges; a slight curve draws them right


@dataclass(frozen=True, eq=False)
class Network:
    """The trust network now: posts, live cross-agency ties, agency-level summaries
    (compared by identity: it holds arrays).

    ``pair_trust[i, j]`` is the summed trust of live ties between agencies ``i`` and ``j``
    and ``pair_ties`` their count; ``pair_scale`` is the largest summed trust at month 0,
    so edge widths compare over time. ``positions`` are the posts' fixed picture
    coordinates; ``centres`` the agencies'.
    """

    agency_names: tuple[str, ...]
    commitment: np.ndarray
    pair_trust: np.ndarray
    pair_ties: np.ndarray
    pair_scale: float
    centres: np.ndarray
    positions: np.ndarray
    agency: np.ndarray
    frontline: np.ndarray
    champion: np.ndarray
    leader: int
    tie_a: np.ndarray
    tie_b: np.ndarray
    tie_trust: np.ndarray


def staff_layout(model: PartnershipModel) -> tuple[np.ndarray, np.ndarray]:
    """Fixed picture positions: agency centres on a circle, each agency's posts laid out
    by a seeded networkx spring layout of its colleague ties around its centre.

    Returns ``(centres, positions)`` (agencies x 2, posts x 2). Posts keep their position
    when their holder changes, so it is computed once per copy.
    """
    n_ag = model.n_agencies
    angles = np.pi / 2 - 2 * np.pi * np.arange(n_ag) / n_ag
    centres = np.c_[np.cos(angles), np.sin(angles)]
    positions = np.zeros((model.staff.n, 2))
    graph = model.trust_graph()
    radius = 0.9 * np.sin(np.pi / max(n_ag, 2)) if n_ag > 1 else 0.5
    for k in range(n_ag):
        first, size = int(model.agencies.first[k]), int(model.agencies.size[k])
        posts = list(range(first, first + size))
        sub = graph.subgraph(posts)
        pos = nx.spring_layout(sub, seed=LAYOUT_SEED, center=(0.0, 0.0), scale=1.0)
        xy = np.array([pos[i] for i in posts])
        xy /= max(float(np.abs(xy).max()), 1e-9)
        positions[first : first + size] = centres[k] + 0.8 * radius * xy
    return centres, positions


def pair_trust(model: PartnershipModel) -> tuple[np.ndarray, np.ndarray]:
    """Summed trust and count of live cross-agency ties between each pair of agencies
    (symmetric agencies x agencies matrices)."""
    t, s, n_ag = model.ties, model.staff, model.n_agencies
    live = np.flatnonzero(t.alive & t.cross)
    ga, gb = s.agency[t.a[live]], s.agency[t.b[live]]
    trust = np.zeros((n_ag, n_ag))
    count = np.zeros((n_ag, n_ag))
    np.add.at(trust, (ga, gb), t.trust[live])
    np.add.at(count, (ga, gb), 1.0)
    return trust + trust.T, count + count.T


def snapshot(
    model: PartnershipModel, centres: np.ndarray, positions: np.ndarray, scale: float
) -> Network:
    """The network of ``model`` now (arrays are copies), with its fixed layout and the
    edge-width scale of month 0."""
    trust, count = pair_trust(model)
    t = model.ties
    live = np.flatnonzero(t.alive & t.cross)
    return Network(
        agency_names=tuple(a.name for a in model.spec.agencies),
        commitment=model.agencies.commitment.copy(),
        pair_trust=trust,
        pair_ties=count,
        pair_scale=scale,
        centres=centres,
        positions=positions,
        agency=model.staff.agency.copy(),
        frontline=model.staff.frontline.copy(),
        champion=model.staff.champion.copy(),
        leader=int(model.board.leader) if model.board_active else -1,
        tie_a=t.a[live].copy(),
        tie_b=t.b[live].copy(),
        tie_trust=t.trust[live].copy(),
    )


def _label_side(x: float, y: float) -> str:
    """Where a node's label goes so that it points away from the picture's centre."""
    if abs(x) > 0.5:
        return "right" if x > 0 else "left"
    return "top" if y > 0 else "bottom"


def agency_chart(net: Network) -> dict[str, Any]:
    """Agencies as circles (size: commitment to the partnership) joined by lines whose
    width is the summed cross-agency trust between them (scaled to month 0's largest)."""
    nodes = []
    for k, name in enumerate(net.agency_names):
        x, y = net.centres[k]
        nodes.append(
            {
                "name": name,
                "x": float(x),
                "y": float(-y),
                "symbolSize": float(18 + 60 * net.commitment[k]),
                "itemStyle": {"color": AGENCY_COLOURS[k % len(AGENCY_COLOURS)]},
                "label": {
                    "show": True,
                    "formatter": pretty(name),
                    "fontSize": FONT,
                    "position": _label_side(float(x), float(y)),
                    "distance": 8,
                    "color": "#222",
                },
            }
        )
    links = []
    n = len(net.agency_names)
    for i in range(n):
        for j in range(i + 1, n):
            total = float(net.pair_trust[i, j])
            if total <= 0:
                continue
            mean = total / max(float(net.pair_ties[i, j]), 1.0)
            links.append(
                {
                    "source": net.agency_names[i],
                    "target": net.agency_names[j],
                    "lineStyle": {
                        "width": float(1.0 + 14.0 * min(total / net.pair_scale, 1.5)),
                        "opacity": float(0.25 + 0.75 * mean),
                        "color": PARTNERSHIP,
                        "curveness": CURVE,
                    },
                }
            )
    return _network(
        "Trust between agencies",
        "circle size: commitment · line width: trust across",
        nodes,
        links,
    )


def staff_chart(net: Network) -> dict[str, Any]:
    """Every post at its fixed position, coloured by agency (squares: managers; ringed:
    champions; the diamond: the chair), with live cross-agency ties drawn by trust."""
    nodes = []
    for i in range(net.agency.size):
        k = int(net.agency[i])
        champion = bool(net.champion[i])
        chair = i == net.leader
        nodes.append(
            {
                "name": str(i),
                "x": float(net.positions[i, 0]),
                "y": float(-net.positions[i, 1]),
                "symbol": "diamond" if chair else ("circle" if net.frontline[i] else "rect"),
                "symbolSize": 24 if chair else (14 if champion else 8),
                "itemStyle": {
                    "color": AGENCY_COLOURS[k % len(AGENCY_COLOURS)],
                    "borderColor": NEUTRAL if (champion or chair) else "transparent",
                    "borderWidth": 2.5 if (champion or chair) else 0,
                },
                "label": {"show": False},
            }
        )
    reach = float(np.linalg.norm(net.positions, axis=1).max()) if net.positions.size else 1.0
    for k, name in enumerate(net.agency_names):
        x, y = net.centres[k] * reach  # just outside the agency's cluster
        nodes.append(
            {
                "name": f"agency:{name}",
                "x": float(x),
                "y": float(-y),
                "symbolSize": 1,
                "itemStyle": {"color": "transparent"},
                "label": {
                    "show": True,
                    "formatter": pretty(name),
                    "fontSize": FONT,
                    "color": "#222",
                    "position": _label_side(float(x), float(y)),
                },
            }
        )
    links = [
        {
            "source": str(int(a)),
            "target": str(int(b)),
            "lineStyle": {
                "width": float(0.5 + 2.5 * t),
                "opacity": float(0.15 + 0.6 * t),
                "color": PARTNERSHIP,
                "curveness": CURVE,
            },
        }
        for a, b, t in zip(
            net.tie_a.tolist(), net.tie_b.tolist(), net.tie_trust.tolist(), strict=True
        )
    ]
    return _network(
        "Trust between staff",
        "lines: ties across agencies · ringed: champions · diamond: chair",
        nodes,
        links,
    )


def _network(
    title: str, subtitle: str, nodes: list[dict[str, Any]], links: list[dict[str, Any]]
) -> dict[str, Any]:
    """A graph centred in the chart; giving only its top and bottom lets ECharts keep the
    picture's aspect ratio (with all four sides it stretches the picture and its circles)."""
    return {
        "animation": False,
        "title": {
            "text": title,
            "subtext": subtitle,
            "left": 8,
            "top": 2,
            "textStyle": {"fontSize": TITLE_FONT, "fontWeight": "bold", "color": "#222"},
            "subtextStyle": {"fontSize": MARKER_FONT, "color": "#444"},
        },
        "series": [
            {
                "type": "graph",
                "layout": "none",
                "roam": False,
                "silent": True,
                "top": 100,
                "bottom": 50,
                "left": "center",
                "data": nodes,
                "links": links,
            }
        ],
    }
