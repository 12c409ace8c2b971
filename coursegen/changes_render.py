"""Render a ChangeReport as a release note an instructor can read (changes.md)."""

from __future__ import annotations

from coursegen.changes import ChangeReport, Section
from coursegen.ir import Course


def _names(course: Course | None) -> dict[str, str]:
    """Readable names for every id of a course (episodes, concepts, lessons, items)."""
    if course is None:
        return {}
    names: dict[str, str] = {}
    names.update({e.id: e.title for e in course.episodes})
    names.update({c.id: c.name for c in course.concepts})
    names.update({lesson.id: lesson.title for lesson in course.lessons})
    names.update({q.id: q.stem for q in course.questions})
    names.update({c.identity: c.front for c in course.cards})
    return names


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _list(title: str, ids: list[str], names: dict[str, str], limit: int = 30) -> list[str]:
    if not ids:
        return []
    lines = [f"**{title} ({len(ids)})**", ""]
    for item in ids[:limit]:
        label = names.get(item)
        lines.append(f"- {_short(label)} (`{item}`)" if label else f"- `{item}`")
    if len(ids) > limit:
        lines.append(f"- … and {len(ids) - limit} more (see changes.json)")
    lines.append("")
    return lines


def _changed(title: str, section: Section, limit: int = 20) -> list[str]:
    if not section.changed:
        return []
    lines = [f"**{title} ({len(section.changed)})**", ""]
    for change in section.changed[:limit]:
        lines.append(f"- `{change.id}`")
        lines.append(f"  - before: {_short(change.before)}")
        lines.append(f"  - after: {_short(change.after)}")
    if len(section.changed) > limit:
        lines.append(f"- … and {len(section.changed) - limit} more (see changes.json)")
    lines.append("")
    return lines


def render_markdown(report: ChangeReport, old: Course | None, new: Course) -> str:
    """A release note: what learners and instructors will see change."""
    new_names, old_names = _names(new), _names(old)
    lines = [f"# Changes in “{new.title}”", ""]
    if report.old_course is None:
        lines += ["First build of this course: everything is new.", ""]
    elif report.empty:
        lines += ["Nothing in the course changed since the previous build.", ""]
    counts = [
        ("episodes", report.episodes),
        ("concepts", report.concepts),
        ("lessons", report.lessons),
        ("questions", report.questions),
        ("cards", report.cards),
    ]
    lines += ["| | added | changed | removed |", "|---|---:|---:|---:|"]
    for name, section in counts:
        lines.append(f"| {name} | {len(section.added)} | {len(section.changed)} | {len(section.removed)} |")
    lines.append("")

    if report.calls_this_build is not None:
        spent = f"{report.calls_this_build} model calls"
        if report.cost_this_build is not None:
            spent += f" (${report.cost_this_build:.4f})"
        if report.calls_full_rebuild is not None:
            spent += f", versus {report.calls_full_rebuild} for a full rebuild"
            if report.cost_full_rebuild is not None:
                spent += f" (${report.cost_full_rebuild:.4f})"
        lines += [f"This build made {spent}.", ""]

    if report.old_course is not None:
        episodes = (
            _list("New episodes", report.episodes.added, new_names)
            + _list("Episodes whose file changed", [c.id for c in report.episodes.changed], new_names)
            + _list("Episodes removed", report.episodes.removed, old_names)
        )
        concepts = _list("New concepts", report.concepts.added, new_names)
        if report.concepts_merged:
            concepts += [f"**Concepts merged ({len(report.concepts_merged)})**", ""]
            concepts += [
                f"- `{m.id}` is now part of {new_names.get(m.into, m.into)} (`{m.into}`)"
                for m in report.concepts_merged
            ]
            concepts.append("")
        concepts += _list("Concepts retired", report.concepts.removed, old_names)
        concepts += _list("Lessons inserted", report.lessons.added, new_names)
        concepts += _list("Lessons removed", report.lessons.removed, old_names)
        if report.lessons_moved:
            concepts += [f"**Lessons moved on the ramp ({len(report.lessons_moved)})**", ""]
            concepts += [f"- {m.title}: position {m.before} → {m.after}" for m in report.lessons_moved[:30]]
            concepts.append("")
        items = _list("New cards", report.cards.added, new_names)
        items += _changed("Cards reworded (updated in place in Anki)", report.cards)
        items += _list("Cards retired", report.cards.removed, old_names)
        if report.cards.removed and report.retired_cards_search:
            items += [
                "Anki never deletes notes on import: learners find retired cards with the search "
                f"`{report.retired_cards_search}` and may suspend or delete them.",
                "",
            ]
        items += _list("New questions", report.questions.added, new_names)
        items += _changed("Questions changed", report.questions)
        items += _list("Questions retired", report.questions.removed, old_names)
        for heading, body in (
            ("Episodes", episodes),
            ("Concepts and lessons", concepts),
            ("Questions and cards", items),
        ):
            if body:
                lines += [f"## {heading}", "", *body]

    if report.overrides:
        lines += ["## Instructor overrides applied", ""]
        lines += [f"- {line}" for line in report.overrides]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
