"""Positions of the page's nodes, computed once here so the browser only has to draw.

The page first shows a few actors (``focus``) and the facts among them: that graph is laid out by
NetworkX's spring layout (fixed seed), each connected part alone and the parts packed in rows, so
the first view is as compact as its own graph. Everything else is placed around it without a
force layout: an actor or matter beside the placed nodes it shares facts with (or, sharing none,
in parts of their own below), a fact at the middle of the actors and matters it links, spread on
a sunflower spiral when several share them. At most ``SPRING_MAX_NODES`` nodes of one part are
laid out by force, so the cost is that of a spring layout on a few hundred nodes, not on every fact.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Sequence

import networkx as nx
import numpy as np

#: Seed of the spring layout: the same graph gives the same picture.
LAYOUT_SEED = 7
#: Most nodes of one connected part laid out by force (NetworkX goes sparse, needing SciPy, from 500);
#: the rest are placed beside their neighbours.
SPRING_MAX_NODES = 450
#: Room kept free around an actor (its label is drawn below it) and around any other node, in pixels.
ACTOR_ROOM = 55
FACT_ROOM = 20
#: Distance between facts spread around one spot, in pixels.
FACT_SPACING = 46
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
Point = tuple[float, float]


def layout(nodes: Sequence[str], edges: Sequence[tuple[str, str]], rank: dict[str, int], *,
           actors: Collection[str], facts: Collection[str], first: Sequence[str], spring_length: int,
           size: dict[str, float]) -> dict[str, tuple[int, int]]:
    """``(x, y)`` in pixels for every node. ``rank`` orders nodes by importance (0 first); ``actors``
    and ``facts`` name the nodes of each kind (the others are matters); ``first`` is what the page
    shows before any filter; ``size`` (0-1) says how large the page draws an actor and its label."""
    actors, facts = set(actors), set(facts)
    g = nx.Graph()
    g.add_nodes_from(sorted(nodes, key=rank.__getitem__))
    # actors are placed by the facts between them: a direct link (a demand) would pull the most
    # connected into one knot
    g.add_edges_from((u, v) for u, v in edges if u != v and not (u in actors and v in actors))
    # many facts between the same actors would pull them onto each other: their springs are weaker
    same_ends: dict[frozenset[str], int] = defaultdict(int)
    for n in facts:
        same_ends[frozenset(m for m in g[n] if m not in facts)] += 1
    for n in facts:
        weight = 1 / same_ends[frozenset(m for m in g[n] if m not in facts)]
        for m in g[n]:
            g[n][m]["weight"] = weight

    room = {n: ACTOR_ROOM * (0.75 + size.get(n, 0)) if n in actors else FACT_ROOM for n in g}
    pos = _packed(g, sorted(first or g.nodes, key=rank.__getitem__), spring_length * 0.6, room, top=0.0)

    # actors and matters linked (through facts) to placed ones: beside them
    h = nx.Graph()  # skeleton: actors and matters, linked as often as a fact names both
    for n in g:
        if n in facts:
            ends = sorted(m for m in g[n] if m not in facts)
            for i, u in enumerate(ends):
                for v in ends[i + 1:]:
                    h.add_edge(u, v)
        else:
            h.add_node(n)
            h.add_edges_from((n, m) for m in g[n] if m not in facts)
    around: dict[str, int] = defaultdict(int)
    loose = []
    for n in sorted(h, key=rank.__getitem__):
        if n in pos:
            continue
        placed = sorted((m for m in h[n] if m in pos), key=rank.__getitem__)
        if not placed:
            loose.append(n)
            continue
        k = around[placed[0]] = around[placed[0]] + 1  # a spiral of its own around its best neighbour
        cx, cy = _middle([pos[m] for m in placed])
        r, angle = spring_length * (0.7 + 0.25 * math.sqrt(k)), k * _GOLDEN_ANGLE
        pos[n] = (cx + r * math.cos(angle), cy + r * math.sin(angle))
    if loose:
        top = max((p[1] for p in pos.values()), default=0.0) + 2 * spring_length
        pos.update(_packed(h, loose, spring_length, room, top=top))

    # facts: around the middle of their ends
    spots: dict[frozenset[str], list[str]] = defaultdict(list)
    for n in g:
        if n in facts and n not in pos:
            ends = frozenset(m for m in g[n] if m not in facts)
            if ends:
                spots[ends].append(n)
    for spot, members in sorted(spots.items(), key=lambda kv: sorted(kv[0])):
        cx, cy = _middle([pos[e] for e in sorted(spot)])
        if len(spot) == 1:
            _ring(pos, members, cx, cy, spring_length * 0.6)
        else:
            _sunflower(pos, members, cx, cy)
    # facts linked only to facts, then facts linked to nothing
    for n in g:
        if n not in pos:
            placed = [pos[o] for o in g[n] if o in pos]
            if placed:
                cx, cy = _middle(placed)
                _ring(pos, [n], cx, cy, FACT_SPACING)
    rest = [n for n in g if n not in pos]
    if rest:
        radius = max((math.hypot(*p) for p in pos.values()), default=0) + spring_length
        _ring(pos, rest, 0, 0, radius)
    return {n: (round(pos[n][0]), round(pos[n][1])) for n in nodes}


def _middle(points: list[Point]) -> Point:
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _packed(h: nx.Graph, members: list[str], spring_length: float, room: dict[str, float], *, top: float
            ) -> dict[str, Point]:
    """``members`` laid out part by part (connected parts of ``h`` among them), the parts packed in
    rows, largest first, so that small parts neither fly off to the corners nor fall on the large
    ones; the first part centred on x = 0, the rows starting at y = ``top``."""
    if not members:
        return {}
    order = {n: i for i, n in enumerate(members)}
    sub = h.subgraph(members)
    parts = sorted((sorted(c, key=order.__getitem__) for c in nx.connected_components(sub)),
                   key=lambda c: (-len(c), order[c[0]]))
    laid = [_part_positions(sub, part, spring_length, room) for part in parts]
    margin = spring_length * 0.8
    boxes = []
    for pos in laid:
        xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
        boxes.append((min(xs) - margin, min(ys) - margin, max(xs) + margin, max(ys) + margin))
    area = sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in boxes)
    row_width = max(boxes[0][2] - boxes[0][0], math.sqrt(area) * 1.4)
    out: dict[str, Point] = {}
    x, y, row_height = 0.0, top, 0.0
    for pos, (x0, y0, x1, y1) in zip(laid, boxes):
        if x > 0 and x + (x1 - x0) > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for n, (px, py) in pos.items():
            out[n] = (px - x0 + x, py - y0 + y)
        x += x1 - x0
        row_height = max(row_height, y1 - y0)
    shift = (boxes[0][2] - boxes[0][0]) / 2
    return {n: (px - shift, py) for n, (px, py) in out.items()}


def _part_positions(h: nx.Graph, part: list[str], spring_length: float, room: dict[str, float]
                    ) -> dict[str, Point]:
    """Spring layout of a connected part's first ``SPRING_MAX_NODES`` (``part`` is in rank order),
    pushed apart until each has its ``room``; the rest beside their placed neighbours."""
    if len(part) == 1:
        return {part[0]: (0.0, 0.0)}
    core = part[:SPRING_MAX_NODES]
    # spread so that neighbours are about a spring length apart, whatever the number of nodes
    scale = spring_length * 0.9 * math.sqrt(len(core))
    raw = nx.spring_layout(h.subgraph(core), seed=LAYOUT_SEED, weight="weight", scale=scale)
    spread = _apart(np.array([raw[n] for n in core], dtype=float), np.array([room[n] for n in core]))
    pos = {n: (float(x), float(y)) for n, (x, y) in zip(core, spread)}
    for i, n in enumerate(part[SPRING_MAX_NODES:]):
        placed = [pos[m] for m in sorted(h[n]) if m in pos] or [(0.0, 0.0)]
        cx, cy = _middle(placed)
        r, angle = spring_length * (0.5 + 0.1 * math.sqrt(i)), i * _GOLDEN_ANGLE
        pos[n] = (cx + r * math.cos(angle), cy + r * math.sin(angle))
    return pos


def _apart(points: np.ndarray, room: np.ndarray, rounds: int = 60) -> np.ndarray:
    """``points`` moved the least needed so that no two are closer than the sum of their ``room``
    (a few rounds of pushing each overlapping pair apart along the line joining them)."""
    need = room[:, None] + room[None, :]
    np.fill_diagonal(need, 0)
    turn = np.arange(len(points)) * _GOLDEN_ANGLE  # nodes on one spot part in different directions
    points = points + np.stack([np.cos(turn), np.sin(turn)], axis=1) * 0.01
    for _ in range(rounds):
        diff = points[:, None, :] - points[None, :, :]
        dist = np.hypot(diff[..., 0], diff[..., 1])
        overlap = np.clip(need - dist, 0, None)
        if overlap.max() < 1:
            break
        np.fill_diagonal(dist, 1)
        points = points + ((diff / dist[..., None]) * (overlap / 2)[..., None]).sum(axis=1) * 0.5
    return points


def _ring(pos: dict[str, tuple[float, float]], members: list[str], cx: float, cy: float, radius: float) -> None:
    """``members`` on circles around (cx, cy): the first at ``radius``, each further one wider."""
    i = 0
    r = radius
    while i < len(members):
        room = max(6, int(2 * math.pi * r / FACT_SPACING))
        batch = members[i:i + room]
        for k, n in enumerate(batch):
            angle = 2 * math.pi * k / len(batch) + r / radius  # each ring turned a little
            pos[n] = (cx + r * math.cos(angle), cy + r * math.sin(angle))
        i += room
        r += FACT_SPACING


def _sunflower(pos: dict[str, tuple[float, float]], members: list[str], cx: float, cy: float) -> None:
    """``members`` on a sunflower spiral around (cx, cy), evenly FACT_SPACING apart."""
    for k, n in enumerate(members):
        r = FACT_SPACING * math.sqrt(k + 0.5) * 0.9
        angle = k * _GOLDEN_ANGLE
        pos[n] = (cx + r * math.cos(angle), cy + r * math.sin(angle))
