"""Geometry of the ramp picture: lessons as nodes in ramp order, prerequisites as arcs.

The picture is a vertical arc diagram: one row per lesson in ramp order, each node
shifted right by its level so the column climbs like a ramp, labels in one aligned
column, and every prerequisite drawn as an arc bulging to the left. A vertical layout
keeps labels readable at any course size and on a phone; the template draws the shapes
(autoescaped), this module only computes numbers and plain strings.
"""

from __future__ import annotations

from dataclasses import dataclass

ROW_HEIGHT = 68
TOP_PAD = 38
LEFT_PAD = 84
LEVEL_STEP = 24
NODE_RADIUS = 15
LABEL_GAP = 22
WIDTH = 620
LINE_CHARS = 42


@dataclass(frozen=True)
class RampNode:
    """One lesson drawn on the ramp."""

    lesson_id: str
    number: int
    href: str
    title: str
    label_lines: list[str]
    detail: str
    x: int
    y: int
    label_x: int


@dataclass(frozen=True)
class RampEdge:
    """A prerequisite arc from the lesson needed first to the lesson that needs it."""

    source: str
    target: str
    path: str


@dataclass(frozen=True)
class RampPicture:
    """Everything the SVG template needs, in drawing order."""

    width: int
    height: int
    nodes: list[RampNode]
    edges: list[RampEdge]
    spine: str
    radius: int


@dataclass(frozen=True)
class RampInput:
    """What the layout needs to know about one lesson (already in ramp order)."""

    lesson_id: str
    href: str
    title: str
    level: int
    detail: str
    prerequisites: list[str]


def shorten(text: str, limit: int) -> str:
    """Cut `text` at a word boundary to at most `limit` characters, adding an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:.-") + "…"


def wrap_label(text: str, width: int = LINE_CHARS) -> list[str]:
    """Split a title into at most two lines of about `width` characters (SVG cannot wrap)."""
    words = text.split()
    first: list[str] = []
    while words and len(" ".join([*first, words[0]])) <= width:
        first.append(words.pop(0))
    if not first:  # one very long word
        return [shorten(text, width)]
    if not words:
        return [" ".join(first)]
    return [" ".join(first), shorten(" ".join(words), width)]


def layout_ramp(lessons: list[RampInput]) -> RampPicture:
    """Place lessons (given in ramp order) and route prerequisite arcs between them."""
    label_x = LEFT_PAD + 4 * LEVEL_STEP + NODE_RADIUS + LABEL_GAP
    nodes: list[RampNode] = []
    for index, lesson in enumerate(lessons):
        level = min(max(lesson.level, 1), 5)
        nodes.append(
            RampNode(
                lesson_id=lesson.lesson_id,
                number=index + 1,
                href=lesson.href,
                title=lesson.title,
                label_lines=wrap_label(lesson.title),
                detail=lesson.detail,
                x=LEFT_PAD + (level - 1) * LEVEL_STEP,
                y=TOP_PAD + index * ROW_HEIGHT,
                label_x=label_x,
            )
        )
    by_id = {node.lesson_id: node for node in nodes}
    edges: list[RampEdge] = []
    for lesson in lessons:
        target = by_id[lesson.lesson_id]
        # Sorted so the SVG is byte-identical whatever order the IR lists prerequisites in.
        for prereq_id in sorted(set(lesson.prerequisites)):
            source = by_id.get(prereq_id)
            if source is None or source is target:
                continue
            edges.append(RampEdge(source.lesson_id, target.lesson_id, _arc(source, target)))
    edges.sort(key=lambda edge: (by_id[edge.target].number, by_id[edge.source].number))
    spine = " ".join(
        f"{'M' if i == 0 else 'L'} {node.x} {node.y}" for i, node in enumerate(nodes)
    )
    height = TOP_PAD * 2 + max(len(nodes) - 1, 0) * ROW_HEIGHT
    return RampPicture(WIDTH, height, nodes, edges, spine, NODE_RADIUS)


def _arc(source: RampNode, target: RampNode) -> str:
    """A cubic curve leaving the left side of `source` and entering the left of `target`.

    Longer jumps bulge further left so nested arcs do not sit on top of each other.
    """
    span = abs(target.number - source.number)
    bulge = min(18 + 14 * span, LEFT_PAD - NODE_RADIUS - 10)
    x1, y1 = source.x - NODE_RADIUS, source.y
    x2, y2 = target.x - NODE_RADIUS - 4, target.y
    left = min(x1, x2) - bulge
    return f"M {x1} {y1} C {left} {y1}, {left} {y2}, {x2} {y2}"
